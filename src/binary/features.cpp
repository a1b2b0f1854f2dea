#include "asyncify/binary/features.h"

namespace asyncify {

std::string_view featureName(Feature f) {
  switch (f) {
#define WASM_FEATURE(name, text) \
  case Feature::name:            \
    return text;
#include "asyncify/binary/features.def"
#undef WASM_FEATURE
  }
  return "unknown";
}

}  // namespace asyncify
