// libFuzzer target: reading then fully validating any byte string either succeeds or throws
// asyncify::Error.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "asyncify/binary/reader.h"
#include "asyncify/validate/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    asyncify::Module module = asyncify::readModule(std::vector<uint8_t>(data, data + size));
    asyncify::validateModule(module);
  } catch (const asyncify::Error&) {
  }
  return 0;
}
