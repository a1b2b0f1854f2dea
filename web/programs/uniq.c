// uniq [-c] [FILE]: drops repeated adjacent lines; -c prefixes each with its count.
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "uniq";
  int counts = 0, opt;
  while ((opt = getopt(argc, argv, "c")) != -1) {
    if (opt == 'c') counts = 1;
    else usage("[-c] [FILE]");
  }
  FILE *f = optind < argc ? open_input(argv[optind]) : stdin;
  if (!f) return 1;
  Lines lines = {0};
  read_lines(f, &lines);
  close_input(f);
  for (size_t i = 0; i < lines.count;) {
    size_t j = i + 1;
    while (j < lines.count && strcmp(lines.items[i], lines.items[j]) == 0) j++;
    if (counts) printf("%7zu %s\n", j - i, lines.items[i]);
    else puts(lines.items[i]);
    i = j;
  }
  return 0;
}
