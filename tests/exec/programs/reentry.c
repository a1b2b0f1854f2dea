// Exports called again by the host while another export is paused.
#include "exec.h"

static int counter;

EXPORT(bump) int bump(int by) {
  counter += by;
  return counter;
}

// Instrumented (it may pause), but called re-entrantly only with non-negative arguments.
EXPORT(bump_or_pause) int bump_or_pause(int by) {
  if (by < 0) pause_now();
  counter += by * 100;
  return counter;
}

EXPORT(outer) int outer(int x) {
  int before = counter;
  int a = get_answer();  // the host calls bump and bump_or_pause from inside this import
  int after = counter;
  print_i32(before);
  print_i32(after);
  return a + x + after;
}

EXPORT(slow_sum) int slow_sum(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += next(i);
  return s;
}
