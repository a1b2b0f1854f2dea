// wc [-lwc] [FILE...]: line, word and byte counts.
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

typedef struct { long lines, words, bytes; } Counts;
static int show_lines, show_words, show_bytes;

static Counts count(FILE *in) {
  Counts c = {0};
  int ch, in_word = 0;
  while ((ch = getc(in)) != EOF) {
    c.bytes++;
    if (ch == '\n') c.lines++;
    if (isspace(ch)) in_word = 0;
    else if (!in_word) { in_word = 1; c.words++; }
  }
  return c;
}

static void print(Counts c, const char *name) {
  const char *sep = "";
  if (show_lines) { printf("%s%ld", sep, c.lines); sep = " "; }
  if (show_words) { printf("%s%ld", sep, c.words); sep = " "; }
  if (show_bytes) printf("%s%ld", sep, c.bytes);
  if (name) printf(" %s", name);
  putchar('\n');
}

int main(int argc, char **argv) {
  tool_name = "wc";
  int opt;
  while ((opt = getopt(argc, argv, "lwc")) != -1) {
    if (opt == 'l') show_lines = 1;
    else if (opt == 'w') show_words = 1;
    else if (opt == 'c') show_bytes = 1;
    else usage("[-lwc] [FILE...]");
  }
  if (!show_lines && !show_words && !show_bytes) show_lines = show_words = show_bytes = 1;
  if (optind == argc) { print(count(stdin), NULL); return 0; }
  int status = 0;
  Counts total = {0};
  for (int i = optind; i < argc; i++) {
    FILE *f = open_input(argv[i]);
    if (!f) { status = 1; continue; }
    Counts c = count(f);
    close_input(f);
    print(c, argv[i]);
    total.lines += c.lines; total.words += c.words; total.bytes += c.bytes;
  }
  if (argc - optind > 1) print(total, "total");
  return status;
}
