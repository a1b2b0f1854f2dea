// Function-pointer-heavy code: a table of small operations chosen at run time, the shape of
// virtual dispatch, callbacks and plugin tables. Every call is indirect.
#include "common.h"

typedef uint32_t (*op_fn)(uint32_t acc, uint32_t x);

static uint32_t op_add(uint32_t a, uint32_t x) { return a + x; }
static uint32_t op_xor(uint32_t a, uint32_t x) { return a ^ (x * 2654435761u); }
static uint32_t op_rot(uint32_t a, uint32_t x) { return (a << (x & 15)) | (a >> (32 - (x & 15) - 1) >> 1); }
static uint32_t op_mul(uint32_t a, uint32_t x) { return a * (x | 1); }
static uint32_t op_sub(uint32_t a, uint32_t x) { return a - (x >> 3); }
static uint32_t op_mix(uint32_t a, uint32_t x) { return (a ^ (a >> 13)) + x; }

// Writable so the compiler cannot resolve the targets statically.
static op_fn ops[8] = {op_add, op_xor, op_rot, op_mul, op_sub, op_mix, op_add, op_xor};

static uint32_t apply(op_fn f, uint32_t acc, uint32_t x) { return f(acc, x); }

static uint32_t run_chunk(uint32_t acc, uint32_t start, uint32_t count) {
  for (uint32_t i = start; i < start + count; i++) acc = apply(ops[(acc ^ i) & 7], acc, i);
  return acc;
}

BENCH_EXPORT("bench_run") int32_t bench_run(int32_t chunks) {
  uint32_t acc = 1;
  for (int32_t c = 0; c < chunks; c++) {
    bench_tick(c);
    acc = run_chunk(acc, (uint32_t)c * 4096u, 4096u);
  }
  bench_report((int32_t)acc);
  return (int32_t)acc;
}
