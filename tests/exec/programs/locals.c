// Many locals of every value type (i32, i64, f32, f64, v128) live across pauses.
#include <wasm_simd128.h>
#include "exec.h"

static void print_v128(v128_t v) {
  print_i32(wasm_i32x4_extract_lane(v, 0));
  print_i32(wasm_i32x4_extract_lane(v, 1));
  print_i32(wasm_i32x4_extract_lane(v, 2));
  print_i32(wasm_i32x4_extract_lane(v, 3));
}

EXPORT(mix) int mix(int seed, long long wide) {
  int a = seed, b = seed * 3, c = seed ^ 0x5a5a, d = -seed, e = seed + 17, f = seed << 4;
  long long g = wide, h = wide * 7, i = wide ^ 0x123456789abcdefLL, j = -wide, k = wide + 0x100000000LL;
  float l = (float)seed * 0.5f, m = 1.25f, n = -3.5f, o = (float)seed / 3.0f;
  double p = (double)wide * 0.25, q = 2.0 / 3.0, r = -1e300, s = (double)seed * 1e-3;
  v128_t t = wasm_i32x4_make(seed, seed + 1, seed + 2, seed + 3);
  v128_t u = wasm_f64x2_make(1.5, -2.25);
  v128_t v = wasm_i64x2_make(wide, -wide);
  v128_t w = wasm_f32x4_splat(0.125f);
  for (int round = 0; round < 6; round++) {
    int x = next(a + round);
    a += x; b ^= x; c -= x; d *= 3; e += b; f ^= c;
    g += next64(g + round); h ^= g; i -= h; j *= 5; k += i;
    l += (float)x; m *= 1.5f; n -= m; o = o * 0.5f + l;
    p += (double)x * 0.5; q *= q + 1.0; r /= -2.0; s += p;
    pause_now();
    t = wasm_i32x4_add(t, wasm_i32x4_splat(x));
    u = wasm_f64x2_mul(u, wasm_f64x2_splat(1.5));
    v = wasm_i64x2_add(v, wasm_i64x2_splat(g));
    w = wasm_f32x4_add(w, wasm_f32x4_splat(l));
  }
  print_i32(a); print_i32(b); print_i32(c); print_i32(d); print_i32(e); print_i32(f);
  print_i64(g); print_i64(h); print_i64(i); print_i64(j); print_i64(k);
  print_f32(l); print_f32(m); print_f32(n); print_f32(o);
  print_f64(p); print_f64(q); print_f64(r); print_f64(s);
  print_v128(t); print_v128(u); print_v128(v); print_v128(w);
  return a ^ b;
}

// Parameters of every type, used again after pauses in the callee.
NOINLINE static double mixer(v128_t v, float f, double d, long long w, int i) {
  int x = next(i);
  v = wasm_i32x4_add(v, wasm_i32x4_splat(x));
  pause_now();
  f *= 2.5f;
  w ^= next64(w);
  return (double)wasm_i32x4_extract_lane(v, 3) + f + d + (double)(w & 0xffff) + i;
}

EXPORT(params) double params(int seed) {
  v128_t v = wasm_i32x4_make(seed, 2 * seed, 3 * seed, 4 * seed);
  double total = 0;
  for (int k = 0; k < 3; k++) total += mixer(v, 0.75f * k, 1e10 / (seed + k + 1), (long long)seed << 33, seed + k);
  return total;
}
