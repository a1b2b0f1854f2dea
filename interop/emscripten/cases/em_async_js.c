// EM_ASYNC_JS imports (named __asyncjs__*, matched by the glob in Emscripten's default import
// list) awaiting promises, while the heap grows between pauses (views must be refreshed).
// emcc-flags: -sASYNCIFY -sALLOW_MEMORY_GROWTH
#include <emscripten.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

EM_ASYNC_JS(int, fetch_length, (const char *text), {
  const s = UTF8ToString(text);
  await new Promise((resolve) => setTimeout(resolve, 1));
  return s.length * 10;
});

int main(void) {
  char *blocks[8];
  long total = 0;
  for (int i = 0; i < 8; i++) {
    size_t size = (size_t)(4 << 20) * (i + 1);  // 4..32 MiB: forces memory.grow repeatedly
    blocks[i] = malloc(size);
    memset(blocks[i], 'a' + i, size);
    blocks[i][size - 1] = 0;
    int n = fetch_length(blocks[i] + size - 6);
    total += n + blocks[i][size / 2];
    printf("block %d: %d %c\n", i, n, blocks[i][size / 3]);
  }
  for (int i = 0; i < 8; i++) free(blocks[i]);
  printf("total %ld\n", total);
  return 0;
}
