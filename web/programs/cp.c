// cp SOURCE... DEST: copies files; DEST may be a directory.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "support/tool.h"

static int copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY);
  if (in < 0) return report(from);
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) { close(in); return report(to); }
  char buf[16384];
  ssize_t n;
  int status = 0;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, n) != n) { status = report(to); break; }
  }
  if (n < 0) status = report(from);
  close(in);
  if (close(out) != 0 && !status) status = report(to);
  return status;
}

int main(int argc, char **argv) {
  tool_name = "cp";
  return for_each_source(argc, argv, copy_file);
}
