// Deep recursion: the pause happens at the bottom, values are combined on the way back up.
#include "exec.h"

NOINLINE static int descend(int n, int salt) {
  if (n == 0) return get_answer() + salt;
  unsigned below = (unsigned)descend(n - 1, salt ^ (n * 7));
  // Non-associative mixing keeps the recursion a real recursion at -O2.
  return (int)((below * 31u) ^ (unsigned)(n + (salt & 0xff)));
}

EXPORT(deep) int deep(int n) { return descend(n, 12345); }

// Every level pauses on the way back up, so each pause unwinds through what is left of the stack.
NOINLINE static long long climb(int n) {
  if (n == 0) return 1;
  unsigned long long below = (unsigned long long)climb(n - 1);
  return (long long)(below * 3u + (unsigned long long)next(n) - (unsigned)(n & 1));
}

EXPORT(pause_each_level) long long pause_each_level(int n) { return climb(n); }
