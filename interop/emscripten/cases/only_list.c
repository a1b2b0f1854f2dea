// Only the functions in ASYNCIFY_ONLY are instrumented: pauses along them work, and with
// assertions on, a pause in any other function traps.
// emcc-flags: -sASYNCIFY -sASSERTIONS -sASYNCIFY_ONLY=['main','worker','step']
#include <emscripten.h>
#include <stdio.h>

__attribute__((noinline)) int step(int x) {
  emscripten_sleep(1);
  return x * 7 % 101;
}

__attribute__((noinline)) int worker(int rounds, int x) {
  for (int i = 0; i < rounds; i++) x = step(x) + i;
  return x;
}

__attribute__((noinline)) int unlisted_sleeper(int x) {
  emscripten_sleep(1);
  return x + 1;
}

// Never set: second call sites keep Binaryen from inlining the listed functions into main, so
// their names in the list really matter.
static volatile int never = 0;

int main(void) {
  int x = 5;
  if (never) printf("%d %d %d\n", worker(2, 3), step(4), unlisted_sleeper(5));
  for (int r = 1; r <= 3; r++) {
    x = worker(r, x);
    printf("after %d rounds: %d\n", r, x);
  }
  printf("pausing outside the only-list:\n");
  fflush(stdout);
  printf("unreachable: %d\n", unlisted_sleeper(x));
  return 0;
}
