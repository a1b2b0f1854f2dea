// hexdump [FILE]: offset, 16 bytes in hex and their printable characters per line.
#include <ctype.h>
#include <stdio.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "hexdump";
  FILE *f = argc > 1 ? open_input(argv[1]) : stdin;
  if (!f) return 1;
  unsigned char row[16];
  size_t n;
  unsigned long offset = 0;
  while ((n = fread(row, 1, sizeof row, f)) > 0) {
    printf("%08lx ", offset);
    for (size_t i = 0; i < 16; i++) {
      if (i == 8) putchar(' ');
      if (i < n) printf(" %02x", row[i]);
      else fputs("   ", stdout);
    }
    fputs("  |", stdout);
    for (size_t i = 0; i < n; i++) putchar(isprint(row[i]) ? row[i] : '.');
    puts("|");
    offset += n;
  }
  if (offset) printf("%08lx\n", offset);
  close_input(f);
  return 0;
}
