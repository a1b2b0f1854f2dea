// Numeric kernel in the style of the n-body benchmark: five bodies, many small steps,
// ticking once per step.
#include "common.h"

#define BODIES 5
typedef struct { double x, y, z, vx, vy, vz, m; } body;
static body sys[BODIES];

static void init(void) {
  for (int i = 0; i < BODIES; i++) {
    sys[i].x = i * 1.5; sys[i].y = i * -0.7; sys[i].z = i * 0.3;
    sys[i].vx = 0.01 * i; sys[i].vy = -0.02 * i; sys[i].vz = 0.005;
    sys[i].m = 1.0 + i * 0.1;
  }
}

static void advance(double dt) {
  for (int i = 0; i < BODIES; i++)
    for (int j = i + 1; j < BODIES; j++) {
      double dx = sys[i].x - sys[j].x, dy = sys[i].y - sys[j].y, dz = sys[i].z - sys[j].z;
      double d2 = dx * dx + dy * dy + dz * dz + 0.01;
      double mag = dt / (d2 * __builtin_sqrt(d2));
      sys[i].vx -= dx * sys[j].m * mag; sys[i].vy -= dy * sys[j].m * mag; sys[i].vz -= dz * sys[j].m * mag;
      sys[j].vx += dx * sys[i].m * mag; sys[j].vy += dy * sys[i].m * mag; sys[j].vz += dz * sys[i].m * mag;
    }
  for (int i = 0; i < BODIES; i++) {
    sys[i].x += dt * sys[i].vx; sys[i].y += dt * sys[i].vy; sys[i].z += dt * sys[i].vz;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++)
    e += 0.5 * sys[i].m * (sys[i].vx * sys[i].vx + sys[i].vy * sys[i].vy + sys[i].vz * sys[i].vz);
  return e;
}

BENCH_EXPORT("bench_run") int32_t bench_run(int32_t steps) {
  init();
  for (int s = 0; s < steps; s++) {
    if ((s & 1023) == 0) bench_tick(s);
    advance(0.001);
  }
  int32_t r = (int32_t)(energy() * 1e6);
  bench_report(r);
  return r;
}
