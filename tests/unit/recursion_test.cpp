// Which functions can recur through direct calls (analysis/recursion.h).
#include "asyncify/analysis/recursion.h"

#include <gtest/gtest.h>

namespace asyncify {
namespace {

CallGraph graphOf(std::vector<std::vector<uint32_t>> callees) {
  CallGraph g;
  g.callees = std::move(callees);
  return g;
}

const auto everyone = [](uint32_t) { return true; };

std::vector<bool> onDirectCallCycle(const CallGraph& graph,
                                    const std::function<bool(uint32_t)>& member) {
  const DirectCallCycles cycles = directCallCycles(graph, member);
  std::vector<bool> cyclic(cycles.size.size());
  for (uint32_t f = 0; f < cyclic.size(); f++) cyclic[f] = cycles.recursive(f);
  return cyclic;
}

TEST(Recursion, CyclesSelfCallsAndChains) {
  // 0 -> 1 -> 2 -> 0 (a cycle), 3 -> 3 (self), 4 -> 0 (calls into the cycle), 5 alone.
  auto cyclic = onDirectCallCycle(graphOf({{1}, {2}, {0}, {3}, {0}, {}}), everyone);
  EXPECT_EQ(cyclic, (std::vector<bool>{true, true, true, true, false, false}));
}

TEST(Recursion, OnlyMembersCount) {
  // 0 -> 1 -> 0, but 1 is not a member: no cycle among members.
  auto cyclic = onDirectCallCycle(graphOf({{1}, {0}}), [](uint32_t f) { return f != 1; });
  EXPECT_EQ(cyclic, (std::vector<bool>{false, false}));
}

TEST(Recursion, TwoCyclesJoinedByAnEdge) {
  // 0 <-> 1, 1 -> 2, 2 <-> 3: two components, both cyclic; 4 -> 2 is not.
  auto cyclic = onDirectCallCycle(graphOf({{1}, {0, 2}, {3}, {2}, {2}}), everyone);
  EXPECT_EQ(cyclic, (std::vector<bool>{true, true, true, true, false}));
}

TEST(Recursion, CycleSizesCountTheComponent) {
  // 0 -> 1 -> 2 -> 0 (three), 3 -> 3 (one), 4 -> 0 (none), 5 <-> 6 and 6 -> 6 (two), 7 alone.
  auto cycles = directCallCycles(graphOf({{1}, {2}, {0}, {3}, {0}, {6}, {5, 6}, {}}), everyone);
  EXPECT_EQ(cycles.size, (std::vector<uint32_t>{3, 3, 3, 1, 0, 2, 2, 0}));
}

TEST(Recursion, OneCycleMeansOneComponent) {
  // 0 -> 1 -> 0, 1 -> 2 -> 2, 3 -> 0, 4 -> 5 (no cycle).
  auto cycles = directCallCycles(graphOf({{1}, {0, 2}, {2}, {0}, {5}, {}}), everyone);
  EXPECT_TRUE(cycles.onOneCycle(0, 1));
  EXPECT_TRUE(cycles.onOneCycle(1, 0));
  EXPECT_TRUE(cycles.onOneCycle(2, 2));
  EXPECT_FALSE(cycles.onOneCycle(1, 2));  // calls into the self-call, not part of it
  EXPECT_FALSE(cycles.onOneCycle(3, 0));  // a caller of the cycle from outside
  EXPECT_FALSE(cycles.onOneCycle(4, 4));  // on no cycle at all
  EXPECT_FALSE(cycles.onOneCycle(4, 5));
}

TEST(Recursion, DeepChainDoesNotExhaustTheStack) {
  // A chain of 200,000 calls closing into one cycle at the end, then a long acyclic chain.
  const uint32_t n = 200000;
  std::vector<std::vector<uint32_t>> callees(2 * n);
  for (uint32_t f = 0; f + 1 < n; f++) callees[f] = {f + 1};
  callees[n - 1] = {0};
  for (uint32_t f = n; f + 1 < 2 * n; f++) callees[f] = {f + 1};
  auto cyclic = onDirectCallCycle(graphOf(std::move(callees)), everyone);
  EXPECT_TRUE(cyclic[0]);
  EXPECT_TRUE(cyclic[n - 1]);
  EXPECT_FALSE(cyclic[n]);
  EXPECT_FALSE(cyclic[2 * n - 1]);
}

}  // namespace
}  // namespace asyncify
