// libFuzzer target: every valid input is transformed with all imports pausable, written,
// re-read and validated. Rejecting the input with asyncify::Error is fine; a crash, a
// sanitizer report or an output that does not validate is a bug (abort). The options that
// change the code generated (size or speed levels, bounds checks, multi-value, asserts,
// indirect calls, globals exported or imported, a secondary memory) come from a hash of the
// input, so that one input always takes the same ones and a crash reproduces.
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

namespace {

asyncify::AsyncifyOptions optionsFor(const uint8_t* data, size_t size) {
  uint32_t hash = 2166136261u;  // FNV-1a
  for (size_t i = 0; i < size; i++) hash = (hash ^ data[i]) * 16777619u;
  auto bit = [&](int k) { return ((hash >> k) & 1u) != 0; };
  asyncify::AsyncifyOptions options;  // imports unset: every import may pause
  // Half of the inputs take the defaults, which matter most.
  if (!bit(0)) return options;
  options.favorSize = bit(1) && bit(2);
  options.favorSpeed = bit(3);
  options.boundsCheck = !bit(4);
  if (bit(5)) options.multiValue = bit(6);
  options.asserts = bit(7);
  options.ignoreIndirect = bit(8) && bit(9);
  options.exportGlobals = bit(10) && bit(11);
  options.importGlobals = !options.exportGlobals && bit(12) && bit(13);
  options.secondaryMemory = bit(14) && bit(15);
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  asyncify::Module module;
  try {
    module = asyncify::readModule(std::vector<uint8_t>(data, data + size));
    asyncify::validateModule(module);
    const asyncify::AsyncifyOptions options = optionsFor(data, size);
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
