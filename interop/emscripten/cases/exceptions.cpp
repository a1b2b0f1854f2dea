// C++ exceptions (JS-based, through invoke_* imports, matched by the glob in Emscripten's
// default import list) thrown and caught around pauses.
// emcc-flags: -sASYNCIFY -fexceptions
#include <emscripten.h>
#include <cstdio>
#include <stdexcept>
#include <string>

__attribute__((noinline)) int checked_step(int i) {
  emscripten_sleep(1);
  if (i % 3 == 2) throw std::runtime_error("step " + std::to_string(i) + " failed");
  return i * i;
}

int main() {
  int ok = 0, failed = 0;
  for (int i = 0; i < 7; i++) {
    try {
      int v = checked_step(i);
      emscripten_sleep(0);
      std::printf("step %d -> %d\n", i, v);
      ok += v;
    } catch (const std::exception &e) {
      emscripten_sleep(1);  // pausing inside a handler
      std::printf("caught: %s\n", e.what());
      failed++;
    }
  }
  std::printf("ok sum %d, failures %d\n", ok, failed);
  return 0;
}
