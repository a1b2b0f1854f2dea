#include "asyncify/analysis/recursion.h"

#include <algorithm>
#include <utility>

namespace asyncify {

// Tarjan's strongly connected components, iteratively (call chains in real modules are
// thousands deep, more than a recursive walk should trust the native stack with).
DirectCallCycles directCallCycles(const CallGraph& graph,
                                  const std::function<bool(uint32_t)>& member) {
  constexpr uint32_t kUnvisited = UINT32_MAX;
  const auto n = static_cast<uint32_t>(graph.callees.size());
  DirectCallCycles cycles{std::vector<uint32_t>(n, 0), std::vector<uint32_t>(n, kUnvisited)};
  std::vector<bool> callsItself(n, false);
  std::vector<uint32_t> order(n, kUnvisited), low(n, 0);
  std::vector<bool> onStack(n, false);
  std::vector<uint32_t> component;                // Tarjan's stack
  std::vector<std::pair<uint32_t, size_t>> walk;  // (function, next callee to look at)
  uint32_t counter = 0;
  for (uint32_t root = 0; root < n; root++) {
    if (!member(root) || order[root] != kUnvisited) continue;
    walk.push_back({root, 0});
    order[root] = low[root] = counter++;
    component.push_back(root);
    onStack[root] = true;
    while (!walk.empty()) {
      auto& [f, next] = walk.back();
      const auto& callees = graph.callees[f];
      if (next < callees.size()) {
        const uint32_t c = callees[next++];
        if (!member(c)) continue;
        if (c == f) callsItself[f] = true;
        if (order[c] == kUnvisited) {
          order[c] = low[c] = counter++;
          component.push_back(c);
          onStack[c] = true;
          walk.push_back({c, 0});
        } else if (onStack[c]) {
          low[f] = std::min(low[f], order[c]);
        }
        continue;
      }
      const uint32_t done = f;
      walk.pop_back();
      if (!walk.empty()) low[walk.back().first] = std::min(low[walk.back().first], low[done]);
      if (low[done] != order[done]) continue;
      // `done` roots a component: pop it; two or more members make a cycle.
      auto start = component.end();
      while (*--start != done) {
      }
      const auto size = static_cast<uint32_t>(component.end() - start);
      for (auto it = start; it != component.end(); ++it) {
        onStack[*it] = false;
        cycles.component[*it] = done;
        if (size > 1 || callsItself[*it]) cycles.size[*it] = size;
      }
      component.erase(start, component.end());
    }
  }
  return cycles;
}

}  // namespace asyncify
