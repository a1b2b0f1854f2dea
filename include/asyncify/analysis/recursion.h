// Which functions can recur through direct calls: those on a cycle of the direct call graph
// (a strongly connected component of two or more, or a function that calls itself).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "asyncify/analysis/call_graph.h"

namespace asyncify {

// Per function index.
struct DirectCallCycles {
  // How many functions share each one's cycles (its component's size), 0 when it is on none:
  // a recursion through many functions spreads a deep stack over all of them.
  std::vector<uint32_t> size;
  // Its strongly connected component: functions on one cycle have the same number.
  std::vector<uint32_t> component;

  bool recursive(uint32_t f) const { return size[f] > 0; }
  bool onOneCycle(uint32_t a, uint32_t b) const {
    return recursive(a) && component[a] == component[b];
  }
};

// Only calls between functions for which `member` holds count.
DirectCallCycles directCallCycles(const CallGraph& graph,
                                  const std::function<bool(uint32_t)>& member);

}  // namespace asyncify
