// Small program for the instrumentation lists and --ignore-indirect.
#include "exec.h"

typedef int (*op_t)(int);

NOINLINE static int helper_plain(int x) { return x * 3 + 1; }
NOINLINE static int helper_other(int x) { return x ^ 0x55; }

// Could pause, but only for negative arguments, which the tests never pass.
NOINLINE static int maybe_pause(int x) {
  if (x < 0) sleep_ms(0);
  return x + 1;
}

// Reaches pausing code only through maybe_pause.
NOINLINE static int only_via_maybe(int x) { return maybe_pause(x) * 2; }

// maybe_pause is in the table, so an indirect call of this type may pause; at run time only the
// first two entries are called.
op_t volatile plain_ops[3] = {helper_plain, helper_other, maybe_pause};

// Its only call that could pause is indirect.
EXPORT(via_pointer) int via_pointer(int x) { return plain_ops[x & 1](x); }

// An indirect call of a type that no pausing function has: our analysis leaves it alone
// (Binaryen instruments every function containing call_indirect).
typedef int (*op2_t)(int, int);
NOINLINE static int add2(int a, int b) { return a + b; }
NOINLINE static int sub2(int a, int b) { return a - b; }
op2_t volatile pair_ops[2] = {add2, sub2};

EXPORT(pure_pointer) int pure_pointer(int x) { return pair_ops[x & 1](x, 10); }

EXPORT(chain) int chain(int x) { return only_via_maybe(x) + 1; }

// Pauses for real, and calls maybe_pause too.
EXPORT(direct) int direct(int x) {
  int a = maybe_pause(x);
  int b = get_answer();
  return a * b + helper_plain(x);
}

EXPORT(forced) int forced(int x) { return helper_plain(x) + helper_other(x); }
