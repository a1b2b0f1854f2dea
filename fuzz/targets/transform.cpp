// libFuzzer target: every valid input is transformed with all imports pausable, written,
// re-read and validated. Rejecting the input with asyncify::Error is fine; a crash, a
// sanitizer report or an output that does not validate is a bug (abort).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "asyncify/transform/asyncify.h"
#include "asyncify/validate/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  asyncify::Module module;
  try {
    module = asyncify::readModule(std::vector<uint8_t>(data, data + size));
    asyncify::validateModule(module);
    asyncify::AsyncifyOptions options;  // imports unset: every import may pause
    std::ostringstream log;
    asyncify::asyncifyModule(module, options, log);
  } catch (const asyncify::Error&) {
    return 0;  // invalid or unsupported input, rejected cleanly
  }
  std::vector<uint8_t> output;
  try {
    output = asyncify::writeModule(module);
    asyncify::Module reread = asyncify::readModule(output);
    asyncify::validateModule(reread);
  } catch (const asyncify::Error& error) {
    // The input was accepted, so the output must be valid.
    std::fprintf(stderr, "transformed output is invalid: %s\n", error.describe().c_str());
    std::abort();
  }
  return 0;
}
