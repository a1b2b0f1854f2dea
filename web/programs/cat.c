// cat [FILE...]: copies files (or stdin, "-" or no arguments) to stdout.
#include <stdio.h>
#include "support/tool.h"

static int copy(FILE *in) {
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    // Keyboard input arrives a line at a time; show it as soon as it is read.
    if (fwrite(buf, 1, n, stdout) != n) return 1;
    fflush(stdout);
  }
  return ferror(in) ? 1 : 0;
}

int main(int argc, char **argv) {
  tool_name = "cat";
  if (argc < 2) return copy(stdin) ? report("stdin") : 0;
  int status = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = open_input(argv[i]);
    if (!f) { status = 1; continue; }
    if (copy(f)) status = report(argv[i]);
    close_input(f);
  }
  return status;
}
