// grep [-ivncE] PATTERN [FILE...]: lines matching a POSIX regular expression (basic, or
// extended with -E); a pattern without special characters is matched as a plain string.
// Exit 0 when a line matched, 1 when none did, 2 on error.
#include <regex.h>
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

static int invert, numbers, count_only;
static regex_t pattern;
static const char *literal; // set when the pattern has no special characters: plain strstr

static int matches(const char *line) {
  return literal ? strstr(line, literal) != NULL : regexec(&pattern, line, 0, NULL, 0) == 0;
}

static long grep(FILE *in, const char *name) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  long number = 0, matched = 0;
  while ((n = getline(&line, &cap, in)) >= 0) {
    number++;
    if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
    if (matches(line) == invert) continue;
    matched++;
    if (count_only) continue;
    if (name) printf("%s:", name);
    if (numbers) printf("%ld:", number);
    puts(line);
  }
  free(line);
  if (count_only) {
    if (name) printf("%s:", name);
    printf("%ld\n", matched);
  }
  return matched;
}

int main(int argc, char **argv) {
  tool_name = "grep";
  int flags = REG_NOSUB, opt;
  while ((opt = getopt(argc, argv, "ivncE")) != -1) {
    if (opt == 'i') flags |= REG_ICASE;
    else if (opt == 'v') invert = 1;
    else if (opt == 'n') numbers = 1;
    else if (opt == 'c') count_only = 1;
    else if (opt == 'E') flags |= REG_EXTENDED;
    else usage("[-ivncE] PATTERN [FILE...]");
  }
  if (optind >= argc) usage("[-ivncE] PATTERN [FILE...]");
  const char *text = argv[optind++];
  // The regex engine costs ~20 µs a line; most searches are for plain words.
  if (!(flags & REG_ICASE) && strpbrk(text, (flags & REG_EXTENDED) ? ".[]()*+?{}|^$\\" : ".[]*^$\\") == NULL) literal = text;
  int error = regcomp(&pattern, text, flags);
  if (error) {
    char message[200];
    regerror(error, &pattern, message, sizeof message);
    fprintf(stderr, "grep: %s\n", message);
    return 2;
  }
  long matched = 0;
  int status = 0;
  if (optind == argc) matched = grep(stdin, NULL);
  for (int i = optind; i < argc; i++) {
    FILE *f = open_input(argv[i]);
    if (!f) { status = 2; continue; }
    matched += grep(f, argc - optind > 1 ? argv[i] : NULL);
    close_input(f);
  }
  return status ? status : matched ? 0 : 1;
}
