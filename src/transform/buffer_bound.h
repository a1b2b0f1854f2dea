// The --report file: per-function facts and, when the pausable call graph has no recursion,
// a bound on the unwind buffer a full unwind can need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/module.h"
#include "function_instrumenter.h"

namespace asyncify {

// Bytes of the deepest chain of frames (nullopt when pausable functions recurse).
// `frameBytes[f]` is the largest frame of function index f (0 when not instrumented).
std::optional<uint64_t> unwindBufferBound(const Module& m, const CallGraph& g, const Pausability& p,
                                          const std::vector<uint32_t>& frameBytes);

void writeReport(const std::string& path, const Module& m, const CallGraph& g, const Pausability& p,
                 const std::vector<uint32_t>& defined,
                 const std::vector<FunctionInstrumentation>& results,
                 const std::vector<uint32_t>& resultsMadeNullable);

}  // namespace asyncify
