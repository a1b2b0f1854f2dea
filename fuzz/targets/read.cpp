// libFuzzer target: the binary reader must accept or reject any byte string with
// asyncify::Error, never crash or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "asyncify/binary/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    asyncify::readModule(std::vector<uint8_t>(data, data + size));
  } catch (const asyncify::Error&) {
  }
  return 0;
}
