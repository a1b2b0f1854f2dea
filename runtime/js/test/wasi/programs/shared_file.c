// One file through two descriptors: writes through one are visible to reads and stats through
// the other at once, before either is closed; renaming and truncating while both are open.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/sandbox";
  char path[256], moved[256], buf[64];
  snprintf(path, sizeof path, "%s/shared.txt", root);
  snprintf(moved, sizeof moved, "%s/sub/moved.txt", root);
  int w = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
  int r = open(path, O_RDONLY);
  printf("opened: %d %d\n", w >= 0, r >= 0);
  for (int i = 0; i < 3; i++) {
    char line[32];
    int len = snprintf(line, sizeof line, "write %d\n", i);
    write(w, line, len);
    struct stat st;
    fstat(r, &st);
    ssize_t n = read(r, buf, sizeof buf);
    printf("size seen by the reader %lld, read %zd: %.*s", (long long)st.st_size, n, (int)(n > 0 ? n : 0), buf);
  }
  printf("rename while open: %s\n", rename(path, moved) == 0 ? "ok" : strerror(errno));
  ftruncate(w, 4);
  lseek(r, 0, SEEK_SET);
  ssize_t n = read(r, buf, sizeof buf);
  printf("after truncate through the writer: %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
  close(w);
  close(r);
  FILE *f = fopen(moved, "r");
  printf("moved file: %s\n", f && fgets(buf, sizeof buf, f) ? buf : "(missing)");
  if (f) fclose(f);
  return 0;
}
