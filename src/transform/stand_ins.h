// Values of non-nullable reference types for code that must produce one it never uses: an
// instrumented function that unwinds returns one to its caller, which sees the state and drops
// it. Nullable and numeric results return their zero; a non-nullable reference has none, so
// each such type gets an immutable global whose initializer builds a value of it (the extended
// constant expressions of the GC proposal: ref.i31, struct.new, array.new_fixed, ref.func...).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "asyncify/binary/module.h"

namespace asyncify {

class StandIns {
 public:
  explicit StandIns(Module& m) : m_(m) {}
  // The global holding a value of `type` (a non-nullable reference), added on first use; none
  // when no constant expression builds one: exnref, the bottom types, a function type no
  // function has, structs that need one of those.
  std::optional<uint32_t> globalFor(ValType type);

 private:
  // Appends a constant expression producing a non-null value of heap type `h` to `out`.
  bool build(HeapType h, std::vector<uint8_t>& out, int depth) const;
  bool buildField(const StorageType& s, std::vector<uint8_t>& out, int depth) const;

  Module& m_;
  std::map<std::string, std::optional<uint32_t>> byType_;
};

}  // namespace asyncify
