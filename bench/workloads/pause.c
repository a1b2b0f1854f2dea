// Pause cost: a recursion of a chosen depth whose innermost call reaches the async import
// `env.pause`. Each frame keeps live values across the call, as real code does, so unwinding
// has something to save. The arithmetic after the call keeps clang from turning the recursion
// into a loop.
#include "common.h"

BENCH_IMPORT("pause") int32_t bench_pause(int32_t x);

__attribute__((noinline)) static int32_t descend(int32_t depth, int32_t x) {
  if (depth == 0) return bench_pause(x);
  int32_t r = descend(depth - 1, x * 31 + 7);
  return r * 3 + (x ^ depth);
}

BENCH_EXPORT("bench_descend") int32_t bench_descend(int32_t depth) { return descend(depth, 1); }
