// Exits through exit() from a nested call after writing to stdout and stderr.
#include <stdio.h>
#include <stdlib.h>

static void leave(int code) {
  printf("leaving with %d\n", code);
  fprintf(stderr, "to stderr\n");
  exit(code);
}

int main(int argc, char **argv) {
  leave(argc > 1 ? atoi(argv[1]) : 42);
  printf("not reached\n");
  return 0;
}
