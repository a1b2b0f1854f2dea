// A function in ASYNCIFY_REMOVE is not instrumented: it works while nothing below it pauses, and
// with assertions on, a pause below it traps instead of resuming (which shows the list applied).
// emcc-flags: -sASYNCIFY -sASSERTIONS -sASYNCIFY_REMOVE=['quiet_path']
#include <emscripten.h>
#include <stdio.h>

__attribute__((noinline)) int maybe_sleep(int pause, int v) {
  if (pause) emscripten_sleep(1);
  return v * 2 + 1;
}

__attribute__((noinline)) int quiet_path(int n, int pause_at) {
  int total = 0;
  for (int i = 0; i < n; i++) total += maybe_sleep(i == pause_at, i);
  return total;
}

int main(void) {
  printf("direct pause: %d\n", maybe_sleep(1, 20));
  printf("removed function, no pause: %d\n", quiet_path(10, -1));
  printf("removed function, pausing below it:\n");
  fflush(stdout);
  printf("unreachable: %d\n", quiet_path(10, 5));
  return 0;
}
