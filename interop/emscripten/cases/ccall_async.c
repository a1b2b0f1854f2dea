// Exported functions that pause, called from JS with ccall(..., {async: true}).
// emcc-flags: -sASYNCIFY -sEXPORTED_FUNCTIONS=['_slow_square','_sum_to'] -sEXPORTED_RUNTIME_METHODS=['ccall'] --pre-js ccall_async.pre.js
#include <emscripten.h>

EMSCRIPTEN_KEEPALIVE int slow_square(int x) {
  emscripten_sleep(2);
  return x * x;
}

EMSCRIPTEN_KEEPALIVE int sum_to(int n) {
  int s = 0;
  for (int i = 1; i <= n; i++) {
    if (i % 4 == 0) emscripten_sleep(0);
    s += i;
  }
  return s;
}
