// Generators that hand each value to the host through a pausing `yield` import. The host drives
// several of them at once, each with its own unwind buffer.
#include "exec.h"

IMPORT(yield) void yield_value(int v);

EXPORT(counter) int counter(int start, int step, int n) {
  int s = start;
  for (int i = 0; i < n; i++) {
    yield_value(s);
    s += step * (i + 1);
  }
  return s;
}

NOINLINE static void emit_pair(long long a, double scale) {
  yield_value((int)a);
  yield_value((int)(a * scale));
}

EXPORT(fib) long long fib(int n, double scale) {
  long long a = 0, b = 1;
  for (int i = 0; i < n; i++) {
    emit_pair(a, scale);
    long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}
