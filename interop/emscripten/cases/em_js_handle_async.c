// EM_JS functions that await promises through Asyncify.handleAsync and return values to C.
// emcc-flags: -sASYNCIFY -sASYNCIFY_IMPORTS=['triple_later','half_later']
#include <emscripten.h>
#include <stdio.h>

EM_JS(int, triple_later, (int x), {
  return Asyncify.handleAsync(async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return x * 3;
  });
});

EM_JS(double, half_later, (double x), {
  return Asyncify.handleAsync(() => Promise.resolve(x / 2));
});

int main(void) {
  int total = 0;
  for (int i = 1; i <= 5; i++) {
    int t = triple_later(i);
    total += t;
    printf("triple(%d) = %d\n", i, t);
  }
  printf("half(7) = %.3f, total = %d\n", half_later(7.0), total);
  return 0;
}
