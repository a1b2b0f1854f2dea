// head [-n N] [FILE...]: the first N lines (default 10).
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

static void head(FILE *in, long count) {
  int c;
  for (long lines = 0; lines < count && (c = getc(in)) != EOF;) {
    putchar(c);
    if (c == '\n') lines++;
  }
}

int main(int argc, char **argv) {
  tool_name = "head";
  long count = 10;
  int opt;
  while ((opt = getopt(argc, argv, "n:")) != -1) {
    if (opt == 'n') count = atol(optarg);
    else usage("[-n N] [FILE...]");
  }
  if (optind == argc) { head(stdin, count); return 0; }
  int status = 0;
  for (int i = optind; i < argc; i++) {
    FILE *f = open_input(argv[i]);
    if (!f) { status = 1; continue; }
    if (argc - optind > 1) printf("%s==> %s <==\n", i > optind ? "\n" : "", argv[i]);
    head(f, count);
    close_input(f);
  }
  return status;
}
