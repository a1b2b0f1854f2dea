// stat/fstat/lstat, file times, hard and symbolic links, readlink.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *label, const char *path, int follow) {
  struct stat st;
  int r = follow ? stat(path, &st) : lstat(path, &st);
  if (r != 0) { printf("%s: %s\n", label, strerror(errno)); return; }
  const char *type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "symlink" : "other";
  printf("%s: %s", label, type);
  // Directory sizes and link counts differ between file systems; files' do not.
  if (!S_ISDIR(st.st_mode)) printf(" size=%lld nlink=%lld", (long long)st.st_size, (long long)st.st_nlink);
  printf("\n");
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/sandbox";
  char a[256], b[256], c[256];
  snprintf(a, sizeof a, "%s/hello.txt", root);
  snprintf(b, sizeof b, "%s/hard.txt", root);
  snprintf(c, sizeof c, "%s/soft.txt", root);
  show("hello", a, 1);
  show("root", root, 1);
  printf("link: %s\n", link(a, b) == 0 ? "ok" : strerror(errno));
  show("hello after link", a, 1);
  show("hard", b, 1);
  printf("symlink: %s\n", symlink("hello.txt", c) == 0 ? "ok" : strerror(errno));
  show("soft lstat", c, 0);
  show("soft stat", c, 1);
  char target[64];
  ssize_t n = readlink(c, target, sizeof target);
  printf("readlink: %.*s\n", (int)(n > 0 ? n : 0), target);
  printf("readlink on file: %zd %s\n", readlink(a, target, sizeof target), strerror(errno));

  FILE *f = fopen(c, "r");
  char line[64] = {0};
  fgets(line, sizeof line, f);
  fclose(f);
  printf("through symlink: %s", line);

  snprintf(b, sizeof b, "%s/dangling", root);
  printf("dangling symlink: %s\n", symlink("nowhere", b) == 0 ? "ok" : strerror(errno));
  show("dangling lstat", b, 0);
  show("dangling stat", b, 1);
  printf("unlink symlink: %s\n", unlink(b) == 0 ? "ok" : strerror(errno));

  struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
  printf("utimensat: %s\n", utimensat(AT_FDCWD, a, times, 0) == 0 ? "ok" : strerror(errno));
  struct stat st;
  stat(a, &st);
  printf("mtime=%lld atime=%lld\n", (long long)st.st_mtim.tv_sec, (long long)st.st_atim.tv_sec);
  int fd = open(a, O_RDWR);
  struct timespec later[2] = {{UTIME_OMIT, 0}, {1300000000, 0}};
  printf("futimens: %s\n", futimens(fd, later) == 0 ? "ok" : strerror(errno));
  fstat(fd, &st);
  printf("mtime=%lld atime=%lld\n", (long long)st.st_mtim.tv_sec, (long long)st.st_atim.tv_sec);
  close(fd);
  snprintf(a, sizeof a, "%s/missing", root);
  show("missing", a, 1);
  snprintf(a, sizeof a, "%s/hello.txt/", root);
  show("file with slash", a, 1);
  return 0;
}
