// A computation paused once and resumed several times from copies of its saved frames, the way
// setjmp/longjmp emulations replay a buffer.
#include "exec.h"

NOINLINE static int inner(int a, long long w) {
  int b = next(a);  // the pause
  print_i32(b);
  return (int)(w % 1000) + a * 7 + b;
}

EXPORT(compute) int compute(int x) {
  int a = x * 3 + 1;
  long long w = (long long)x * 1000003;
  int r = inner(a, w);
  print_i32(r);
  return r ^ a;
}
