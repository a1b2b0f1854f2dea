// tee [-a] [FILE...]: copies stdin to stdout and to each file (-a appends).
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "tee";
  int append = 0, opt;
  while ((opt = getopt(argc, argv, "a")) != -1) {
    if (opt == 'a') append = 1;
    else usage("[-a] [FILE...]");
  }
  int count = argc - optind, status = 0;
  FILE **files = calloc(count ? count : 1, sizeof *files);
  for (int i = 0; i < count; i++) {
    files[i] = fopen(argv[optind + i], append ? "ab" : "wb");
    if (!files[i]) status = report(argv[optind + i]);
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    fwrite(buf, 1, n, stdout);
    fflush(stdout);
    for (int i = 0; i < count; i++) {
      if (files[i] && fwrite(buf, 1, n, files[i]) != n) status = report(argv[optind + i]);
    }
  }
  for (int i = 0; i < count; i++) {
    if (files[i] && fclose(files[i]) != 0) status = report(argv[optind + i]);
  }
  return status;
}
