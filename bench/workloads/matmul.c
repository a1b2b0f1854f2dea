// Numeric kernel: dense double-precision matrix multiply, ticking once per row.
#include "common.h"

#define N 96
static double a[N][N], b[N][N], c[N][N];

static void init(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) * 0.25;
      b[i][j] = (double)((i * 5 + j * 11) % 13) * 0.5;
    }
}

static void multiply(void) {
  for (int i = 0; i < N; i++) {
    bench_tick(i);
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  }
}

BENCH_EXPORT("bench_run") int32_t bench_run(int32_t reps) {
  init();
  double sum = 0;
  for (int r = 0; r < reps; r++) {
    multiply();
    sum += c[r % N][(r * 7) % N];
  }
  bench_report((int32_t)sum);
  return (int32_t)sum;
}
