#pragma once

#include <cstdint>
#include <string_view>

namespace asyncify {

enum class Feature : uint8_t {
#define WASM_FEATURE(name, text) name,
#include "asyncify/binary/features.def"
#undef WASM_FEATURE
};

std::string_view featureName(Feature f);

// The features a module uses, gathered while reading.
class FeatureSet {
 public:
  void add(Feature f) { bits_ |= uint32_t{1} << static_cast<unsigned>(f); }
  bool has(Feature f) const { return bits_ & (uint32_t{1} << static_cast<unsigned>(f)); }
  uint32_t bits() const { return bits_; }

 private:
  uint32_t bits_ = 0;
};

}  // namespace asyncify
