// The classic examples: print, sleep, print; an answer that arrives later; a name read from a file.
#include "exec.h"

EXPORT(sleep_between) void sleep_between(void) {
  print("A");
  sleep_ms(2);
  print("B");
}

EXPORT(answer) int answer(void) {
  int a = get_answer();
  print("the answer is");
  print_i32(a);
  return a + 1;
}

static char greeting[128];

EXPORT(greet) int greet(void) {
  const char *path = "name.txt";
  const char *hello = "Hello, ";
  int n = 0;
  for (; hello[n]; n++) greeting[n] = hello[n];
  int got = read_file(path, str_len(path), greeting + n, 100);
  // Drop a trailing newline, then close the sentence.
  if (got > 0 && greeting[n + got - 1] == '\n') got--;
  n += got;
  greeting[n++] = '!';
  print_str(greeting, n);
  return got;
}
