// --asserts: functions that are not instrumented trap if a call they make changes the Asyncify
// state (a pause that would otherwise silently skip them on the way out and restart them on the
// way back).
#pragma once

#include <cstdint>

#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// Returns the number of functions that received checks.
uint32_t addStateAsserts(Module& m, const Pausability& p, uint32_t stateGlobal);

}  // namespace asyncify
