// Greets a name read from a file by the host asynchronously (fs.promises in Node, fetch in a page).
#include <stdio.h>
#include <string.h>

// Fills buf with up to size bytes of the file; returns the byte count or -1.
__attribute__((import_module("env"), import_name("read_file")))
int read_file(const char *path, char *buf, int size);

char asyncify_buffer[4096];

int main(void) {
  char name[128];
  int n = read_file("name.txt", name, sizeof name - 1);
  if (n < 0) {
    fprintf(stderr, "cannot read name.txt\n");
    return 1;
  }
  while (n > 0 && (name[n - 1] == '\n' || name[n - 1] == '\r')) n--;
  name[n] = '\0';
  printf("Hello, %s!\n", name);
  return 0;
}
