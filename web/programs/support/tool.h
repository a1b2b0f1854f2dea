// Small helpers shared by the shell programs: error reporting and whole-stream reading.
#ifndef SHELL_TOOL_H
#define SHELL_TOOL_H
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char* tool_name = "";

/** Prints "name: what: strerror(errno)" to stderr; returns 1 for use as a status. */
static __attribute__((unused)) int report(const char* what) {
  fprintf(stderr, "%s: %s: %s\n", tool_name, what, strerror(errno));
  return 1;
}

static __attribute__((unused)) void usage(const char* text) {
  fprintf(stderr, "usage: %s %s\n", tool_name, text);
  exit(2);
}

/** Opens a file for reading; "-" is stdin. NULL (after reporting) on failure. */
static __attribute__((unused)) FILE* open_input(const char* path) {
  if (strcmp(path, "-") == 0) return stdin;
  FILE* f = fopen(path, "rb");
  if (!f) report(path);
  // stdio's default 1 KiB buffer means one host read per KiB, and in the browser each read
  // fetches the file anew: read in large pieces. (musl ignores the size without a buffer.)
  else
    setvbuf(f, malloc(1 << 16), _IOFBF, 1 << 16);
  return f;
}

static __attribute__((unused)) void close_input(FILE* f) {
  if (f && f != stdin) fclose(f);
}

/**
 * `tool SOURCE... DEST` in the manner of cp and mv: DEST may be a directory (each source goes
 * inside it under its own name) and must be one when there are several sources. Applies `op`
 * to each (source, target) pair; returns the combined status.
 */
static __attribute__((unused)) int for_each_source(int argc, char** argv,
                                                   int (*op)(const char* from, const char* to)) {
  if (argc < 3) usage("SOURCE... DEST");
  const char* dest = argv[argc - 1];
  struct stat st;
  int dest_is_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
  if (argc > 3 && !dest_is_dir) {
    fprintf(stderr, "%s: %s: not a directory\n", tool_name, dest);
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc - 1; i++) {
    char target[4096];
    if (dest_is_dir) {
      char* copy = strdup(argv[i]);
      snprintf(target, sizeof target, "%s/%s", dest, basename(copy));
      free(copy);
    } else {
      snprintf(target, sizeof target, "%s", dest);
    }
    status |= op(argv[i], target);
  }
  return status;
}

/** A growable array of lines (each without its newline). */
typedef struct {
  char** items;
  size_t count, capacity;
} Lines;

static __attribute__((unused)) void lines_push(Lines* lines, char* line) {
  if (lines->count == lines->capacity) {
    lines->capacity = lines->capacity ? lines->capacity * 2 : 64;
    lines->items = realloc(lines->items, lines->capacity * sizeof *lines->items);
    if (!lines->items) {
      fprintf(stderr, "%s: out of memory\n", tool_name);
      exit(1);
    }
  }
  lines->items[lines->count++] = line;
}

/** Appends every line of `f` to `lines`; the strings are owned by the caller. */
static __attribute__((unused)) void read_lines(FILE* f, Lines* lines) {
  char* line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
    lines_push(lines, strdup(line));
  }
  free(line);
}

#endif
