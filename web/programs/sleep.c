// sleep SECONDS: waits (fractions allowed, e.g. 0.25).
#include <stdio.h>
#include <time.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "sleep";
  if (argc != 2) usage("SECONDS");
  char *end;
  double seconds = strtod(argv[1], &end);
  if (*end || seconds < 0) usage("SECONDS");
  struct timespec ts = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
  if (nanosleep(&ts, NULL) != 0) return report("nanosleep");
  return 0;
}
