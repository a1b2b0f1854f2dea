// Pauses at several depths of a 2000-deep recursion whose frames live partly in linear memory
// (an array passed down by address, so the compiler cannot turn the recursion into a loop).
// The saved call stack needs far more than the default 4 KiB buffer.
// emcc-flags: -sASYNCIFY -sASYNCIFY_STACK_SIZE=262144
#include <emscripten.h>
#include <stdio.h>

static int pauses = 0;

__attribute__((noinline)) static long long descend(int depth, const long long *parent) {
  long long mine[2] = {(parent[0] * 3 + depth) % 1000003, parent[1] ^ depth};
  if (depth % 500 == 0) {
    emscripten_sleep(1);
    pauses++;
  }
  if (depth == 0) return mine[0] + mine[1];
  long long below = descend(depth - 1, mine);
  return (below % 1000003) * 7 + (mine[0] & 0xff) - mine[1];
}

int main(void) {
  long long seed[2] = {1, 99};
  long long result = descend(2000, seed);
  printf("result %lld after %d pauses\n", result, pauses);
  printf("again %lld\n", descend(1200, seed));
  return 0;
}
