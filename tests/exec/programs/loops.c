// Pauses in loops, in both arms of ifs, in a dense switch (br_table) and in nested loops.
#include "exec.h"

EXPORT(loop_sum) int loop_sum(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s = s * 7 + next(i);
  return s;
}

EXPORT(both_arms) int both_arms(int n) {
  int s = 1;
  for (int i = 0; i < n; i++) {
    if (i & 1) s += next(i) * 3;
    else s ^= next(i + 100);
  }
  return s;
}

EXPORT(switcher) int switcher(int n) {
  int s = 5;
  for (int i = 0; i < n; i++) {
    switch (i % 7) {
      case 0: s += next(i); break;
      case 1: s -= next(i * 2); break;
      case 2: pause_now(); s *= 3; break;
      case 3: s ^= get_answer(); break;
      case 4: s += 1; break;  // no pause in this arm
      case 5: sleep_ms(0); s = s * 5 - i; break;
      default: s += next(s & 0xff); break;
    }
  }
  return s;
}

EXPORT(nested) int nested(int n, int m) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < m; j++) {
      if ((i + j) % 3 == 0) s += next(i * m + j);
      else s += i * j;
    }
    s = s * 3 + i;
  }
  return s;
}

EXPORT(while_pausing) int while_pausing(int limit) {
  // The loop condition itself pauses.
  int steps = 0;
  int x = 1;
  while ((x = next(x) & 0xffff) < limit) steps++;
  return steps * 1000 + x;
}
