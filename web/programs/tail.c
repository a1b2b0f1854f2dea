// tail [-n N] [FILE]: the last N lines (default 10).
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "tail";
  long count = 10;
  int opt;
  while ((opt = getopt(argc, argv, "n:")) != -1) {
    if (opt == 'n') count = atol(optarg);
    else usage("[-n N] [FILE]");
  }
  FILE *f = optind < argc ? open_input(argv[optind]) : stdin;
  if (!f) return 1;
  Lines lines = {0};
  read_lines(f, &lines);
  close_input(f);
  size_t start = (size_t)count < lines.count ? lines.count - (size_t)count : 0;
  for (size_t i = start; i < lines.count; i++) puts(lines.items[i]);
  return 0;
}
