// Which functions can recur through direct calls: those on a cycle of the direct call graph
// (a strongly connected component of two or more, or a function that calls itself).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "asyncify/analysis/call_graph.h"

namespace asyncify {

// Per function index; only calls between functions for which `member` holds count.
std::vector<bool> onDirectCallCycle(const CallGraph& graph,
                                    const std::function<bool(uint32_t)>& member);

// Likewise, how many functions share each one's cycles (its component's size), 0 when it is
// on none: a recursion through many functions spreads a deep stack over all of them.
std::vector<uint32_t> directCallCycleSizes(const CallGraph& graph,
                                           const std::function<bool(uint32_t)>& member);

}  // namespace asyncify
