// ASYNCIFY_IGNORE_INDIRECT: qsort's comparator calls do not make qsort pausable, while direct
// pauses between the sorts still work. With assertions on, a comparator that pauses traps,
// which shows qsort was really left uninstrumented.
// emcc-flags: -sASYNCIFY -sASSERTIONS -sASYNCIFY_IGNORE_INDIRECT
#include <emscripten.h>
#include <stdio.h>
#include <stdlib.h>

static int descending(const void *a, const void *b) {
  return *(const int *)b - *(const int *)a;
}

static int pausing_ascending(const void *a, const void *b) {
  emscripten_sleep(0);
  return *(const int *)a - *(const int *)b;
}

int main(void) {
  int values[16];
  unsigned seed = 12345;
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 16; i++) {
      seed = seed * 1103515245u + 12345u;
      values[i] = (int)((seed >> 16) % 1000);
    }
    emscripten_sleep(1);
    qsort(values, 16, sizeof values[0], descending);
    emscripten_sleep(0);
    printf("round %d:", round);
    for (int i = 0; i < 16; i++) printf(" %d", values[i]);
    printf("\n");
  }
  printf("pausing inside qsort:\n");
  fflush(stdout);
  qsort(values, 16, sizeof values[0], pausing_ascending);
  printf("unreachable: %d\n", values[0]);
  return 0;
}
