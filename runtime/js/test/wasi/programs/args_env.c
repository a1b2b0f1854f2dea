// Prints its arguments and selected environment variables, then exits with argv[1] as the code.
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  int count = 0;
  for (char **e = environ; *e; e++) count++;
  printf("environ count=%d\n", count);
  const char *names[] = {"GREETING", "EMPTY", "UNICODE", "MISSING"};
  for (int i = 0; i < 4; i++) {
    const char *v = getenv(names[i]);
    printf("%s=%s\n", names[i], v ? v : "(unset)");
  }
  return argc > 1 ? atoi(argv[1]) : 0;
}
