// A JS library import listed in ASYNCIFY_IMPORTS pauses with Asyncify.handleSleep.
// emcc-flags: -sASYNCIFY -sASYNCIFY_IMPORTS=['delayed_add'] --js-library asyncify_imports.lib.js
#include <stdio.h>

int delayed_add(int a, int b);
int immediate_mul(int a, int b);

int main(void) {
  int acc = 1;
  for (int i = 0; i < 6; i++) {
    acc = delayed_add(acc, i);
    acc = immediate_mul(acc, 2);
    printf("step %d: %d\n", i, acc);
  }
  return 0;
}
