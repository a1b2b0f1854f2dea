#pragma once

#include <iosfwd>

#include "asyncify/binary/module.h"
#include "asyncify/transform/options.h"

namespace asyncify {

struct AsyncifyResult {
  uint32_t instrumentedFunctions = 0;
  uint32_t pausableCallSites = 0;
};

// Instruments `module` in place. Throws asyncify::Error on unsupported input or bad options.
// Verbose lines, warnings and --explain output go to `log`.
AsyncifyResult asyncifyModule(Module& module, const AsyncifyOptions& options, std::ostream& log);

}  // namespace asyncify
