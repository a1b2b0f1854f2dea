// Tries to leave the preopened directory: `..`, absolute paths, and links pointing outside.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void try_open(const char *path) {
  int fd = open(path, O_RDONLY);
  printf("open %s: %s\n", path, fd >= 0 ? "opened" : strerror(errno));
  if (fd >= 0) close(fd);
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/sandbox";
  char p[256];
  snprintf(p, sizeof p, "%s/sub/../hello.txt", root); try_open(p);
  snprintf(p, sizeof p, "%s/../outside.txt", root); try_open(p);
  snprintf(p, sizeof p, "%s/sub/../../outside.txt", root); try_open(p);
  snprintf(p, sizeof p, "%s/escape-abs/outside.txt", root); try_open(p);
  snprintf(p, sizeof p, "%s/escape-rel/outside.txt", root); try_open(p);
  snprintf(p, sizeof p, "%s/escape-file", root); try_open(p);
  try_open("/etc/passwd");
  snprintf(p, sizeof p, "%s/made-link", root);
  printf("symlink to absolute: %s\n", symlink("/etc/passwd", p) == 0 ? "created" : strerror(errno));
  // A relative link that goes up but stays inside is fine.
  snprintf(p, sizeof p, "%s/sub/uplink", root);
  printf("symlink with ..: %s\n", symlink("../hello.txt", p) == 0 ? "created" : strerror(errno));
  try_open(p);
  snprintf(p, sizeof p, "%s/sub/outlink", root);
  printf("symlink leaving: %s\n", symlink("../../outside.txt", p) == 0 ? "created" : strerror(errno));
  try_open(p);
  return 0;
}
