// Reads stdin to the end: counts bytes, lines and words, echoes lines upper-cased.
#include <ctype.h>
#include <stdio.h>

int main(void) {
  char line[4096];
  long bytes = 0, lines = 0, words = 0;
  while (fgets(line, sizeof line, stdin)) {
    int in_word = 0;
    for (char *p = line; *p; p++) {
      bytes++;
      if (*p == '\n') lines++;
      if (isspace((unsigned char)*p)) in_word = 0;
      else if (!in_word) { in_word = 1; words++; }
      *p = (char)toupper((unsigned char)*p);
    }
    fputs(line, stdout);
  }
  printf("bytes=%ld lines=%ld words=%ld eof=%d\n", bytes, lines, words, feof(stdin));
  return lines > 0 ? 0 : 3;
}
