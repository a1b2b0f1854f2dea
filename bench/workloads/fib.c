// Recursive code: naive Fibonacci. Every call may reach the async import, so a transform must
// instrument the hot recursive function itself.
#include "common.h"

static uint32_t calls;

static int32_t fib(int32_t n) {
  // Rarely taken, but its presence makes fib pausable.
  if (++calls == (1u << 22)) {
    calls = 0;
    bench_tick(n);
  }
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

BENCH_EXPORT("bench_run") int32_t bench_run(int32_t n) {
  int32_t r = fib(n);
  bench_report(r);
  return r;
}
