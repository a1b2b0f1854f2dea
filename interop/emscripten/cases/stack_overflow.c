// The deep recursion of deep_recursion.c with a buffer too small for its frames must fail
// rather than resume with a corrupted stack: this shows ASYNCIFY_STACK_SIZE reaches the runtime.
// emcc-flags: -sASYNCIFY -sASYNCIFY_STACK_SIZE=1024
#include <emscripten.h>
#include <stdio.h>

__attribute__((noinline)) static int descend(int depth, const int *parent) {
  int mine[2] = {parent[0] + depth % 7, parent[1] ^ depth};
  if (depth == 0) {
    emscripten_sleep(1);
    return mine[0] + mine[1];
  }
  return descend(depth - 1, mine) % 1000 + mine[1];
}

int main(void) {
  int seed[2] = {1, 2};
  printf("shallow %d\n", descend(3, seed));
  fflush(stdout);
  printf("deep %d\n", descend(2000, seed));
  return 0;
}
