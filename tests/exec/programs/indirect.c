// Calls through function pointers, some targets pausing and some not.
#include "exec.h"

typedef int (*op_t)(int);

NOINLINE static int op_next(int x) { return next(x) + 1; }
NOINLINE static int op_plain(int x) { return x * 2 - 1; }
NOINLINE static int op_sleep(int x) { sleep_ms(0); return x - 3; }
NOINLINE static int op_answer(int x) { return x ^ get_answer(); }

// volatile keeps clang from turning the table into direct calls.
op_t volatile table[4] = {op_next, op_plain, op_sleep, op_answer};

EXPORT(apply_all) int apply_all(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s = table[i % 4](s + i);
  return s;
}

NOINLINE static int twice(op_t f, int x) { return f(f(x)) + x; }

EXPORT(higher_order) int higher_order(int which, int x) { return twice(table[which & 3], x); }

// A pointer to a function that itself calls through a pointer.
NOINLINE static int through(int x) { return table[x & 3](x) * 2; }
op_t volatile outer_table[2] = {through, op_plain};

EXPORT(two_levels) int two_levels(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += outer_table[i & 1](s + i);
  return s;
}
