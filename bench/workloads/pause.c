// Pause cost: a recursion of a chosen depth whose innermost call reaches the async import
// `env.pause`. Each frame keeps live values across the call, as real code does, so unwinding
// has something to save. The arithmetic after the call keeps clang from turning the recursion
// into a loop.
#include "common.h"

BENCH_IMPORT("pause") int32_t bench_pause(int32_t x);

// Narrow frames: the depth and one value, which the transform may rebuild rather than save.
__attribute__((noinline)) static int32_t descend(int32_t depth, int32_t x) {
  if (depth == 0) return bench_pause(x);
  int32_t r = descend(depth - 1, x * 31 + 7);
  return r * 3 + (x ^ depth);
}

BENCH_EXPORT("bench_descend") int32_t bench_descend(int32_t depth) { return descend(depth, 1); }

// Wide frames: seven values read from memory before the call and used after it, so that no
// transform can recompute them on resume; each frame saves them all.
static volatile int32_t inputs[7] = {3, 5, 7, 11, 13, 17, 19};

__attribute__((noinline)) static int32_t combine(int32_t r, int32_t a, int32_t b, int32_t c,
                                                 int32_t d, int32_t e, int32_t f, int32_t g) {
  return r * 3 + (a ^ b) * (c | d) + (e - f) * g;
}

__attribute__((noinline)) static int32_t descend_wide(int32_t depth, int32_t x) {
  if (depth == 0) return bench_pause(x);
  int32_t a = inputs[0] + x, b = inputs[1] ^ x, c = inputs[2], d = inputs[3], e = inputs[4],
          f = inputs[5], g = inputs[6];
  int32_t r = descend_wide(depth - 1, x * 31 + 7);
  return combine(r, a, b, c, d, e, f, g);
}

BENCH_EXPORT("bench_descend_wide") int32_t bench_descend_wide(int32_t depth) {
  return descend_wide(depth, 1);
}
