// libc in the middle: qsort (wasi-libc) calls a comparator that pauses, so the unwind crosses
// libc's own frames, and the results are printed with printf through WASI fd_write.
#include <stdio.h>
#include <stdlib.h>

__attribute__((import_module("env"), import_name("next"))) int next(int x);

static int compare(const void *a, const void *b) {
  int x = *(const int *)a;
  int y = *(const int *)b;
  // The key comes from the host, one pause per key.
  int kx = (unsigned)next(x) % 997u;
  int ky = (unsigned)next(y) % 997u;
  if (kx != ky) return kx < ky ? -1 : 1;
  return (x > y) - (x < y);
}

__attribute__((export_name("sort_demo"))) int sort_demo(int n) {
  int *values = malloc(n * sizeof *values);
  for (int i = 0; i < n; i++) values[i] = (i * 7919) % 1009;
  qsort(values, n, sizeof *values, compare);
  long checksum = 0;
  for (int i = 0; i < n; i++) {
    printf("%d%c", values[i], i + 1 == n ? '\n' : ' ');
    checksum = checksum * 31 + values[i];
  }
  printf("checksum %ld\n", checksum);
  fflush(stdout);
  free(values);
  return (int)checksum;
}
