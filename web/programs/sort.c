// sort [-rnu] [FILE...]: sorts lines (bytewise, or numerically with -n).
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

static int reverse, numeric;

static int compare(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  int r;
  if (numeric) {
    double dx = strtod(x, NULL), dy = strtod(y, NULL);
    r = dx < dy ? -1 : dx > dy ? 1 : strcmp(x, y);
  } else {
    r = strcmp(x, y);
  }
  return reverse ? -r : r;
}

int main(int argc, char **argv) {
  tool_name = "sort";
  int unique = 0, opt;
  while ((opt = getopt(argc, argv, "rnu")) != -1) {
    if (opt == 'r') reverse = 1;
    else if (opt == 'n') numeric = 1;
    else if (opt == 'u') unique = 1;
    else usage("[-rnu] [FILE...]");
  }
  Lines lines = {0};
  int status = 0;
  if (optind == argc) read_lines(stdin, &lines);
  for (int i = optind; i < argc; i++) {
    FILE *f = open_input(argv[i]);
    if (!f) { status = 1; continue; }
    read_lines(f, &lines);
    close_input(f);
  }
  qsort(lines.items, lines.count, sizeof *lines.items, compare);
  for (size_t i = 0; i < lines.count; i++) {
    if (unique && i > 0 && compare(&lines.items[i - 1], &lines.items[i]) == 0) continue;
    puts(lines.items[i]);
  }
  return status;
}
