// emscripten_sleep inside nested loops, with locals of every numeric type live across the pause.
// emcc-flags: -sASYNCIFY
#include <emscripten.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
  int32_t i32 = 7;
  int64_t i64 = 0x123456789ll;
  float f32 = 1.5f;
  double f64 = 0.25;
  for (int outer = 0; outer < 4; outer++) {
    for (int inner = 0; inner < 3; inner++) {
      emscripten_sleep(inner);  // 0 still unwinds and resumes through the event loop
      i32 = i32 * 31 + inner;
      i64 = i64 * 3 + outer;
      f32 += 0.5f * inner;
      f64 *= 1.25;
    }
    printf("outer %d: i32=%d i64=%lld f32=%.2f f64=%.6f\n", outer, i32, (long long)i64, f32, f64);
  }
  return 0;
}
