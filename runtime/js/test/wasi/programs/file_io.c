// Regular-file I/O: create, write, read back, seek/tell, pread/pwrite, append, truncate.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(int ok, const char *what) {
  printf("%s: %s\n", what, ok ? "ok" : strerror(errno));
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/sandbox";
  char path[256];
  snprintf(path, sizeof path, "%s/out.txt", root);

  FILE *f = fopen(path, "w");
  check(f != NULL, "fopen w");
  for (int i = 0; i < 1000; i++) fprintf(f, "line %04d\n", i);
  check(fclose(f) == 0, "fclose");

  int fd = open(path, O_RDWR);
  check(fd >= 0, "open rdwr");
  char buf[64];
  ssize_t n = read(fd, buf, 10);
  printf("read %zd: %.*s", n, (int)n, buf);
  printf("tell %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek end %lld\n", (long long)lseek(fd, 0, SEEK_END));
  printf("seek set %lld\n", (long long)lseek(fd, 5000, SEEK_SET));
  n = read(fd, buf, 10);
  printf("read at 5000 %zd: %.*s", n, (int)n, buf);
  printf("seek back %lld\n", (long long)lseek(fd, -20, SEEK_END));
  n = read(fd, buf, 64);
  printf("read tail %zd: %.*s", n, (int)n, buf);
  printf("read at eof %zd\n", read(fd, buf, 64));
  printf("seek negative %lld errno=%s\n", (long long)lseek(fd, -1, SEEK_SET), strerror(errno));

  n = pwrite(fd, "PATCHED!!\n", 10, 20);
  printf("pwrite %zd\n", n);
  n = pread(fd, buf, 30, 10);
  printf("pread %zd: %.*s", n, (int)n, buf);
  printf("tell after pread %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

  check(ftruncate(fd, 35) == 0, "ftruncate");
  struct stat st;
  check(fstat(fd, &st) == 0, "fstat");
  printf("size after truncate %lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  check(close(fd) == 0, "close");

  fd = open(path, O_WRONLY | O_APPEND);
  check(fd >= 0, "open append");
  n = write(fd, "appended\n", 9);
  printf("append write %zd\n", n);
  close(fd);

  f = fopen(path, "r");
  size_t total = 0;
  int c, lines = 0;
  while ((c = fgetc(f)) != EOF) { total++; if (c == '\n') lines++; putchar(c); }
  fclose(f);
  printf("total %zu bytes, %d lines\n", total, lines);

  // Sparse write past the end reads back as zeros.
  fd = open(path, O_RDWR);
  pwrite(fd, "Z", 1, 100);
  memset(buf, 'x', sizeof buf);
  n = pread(fd, buf, 64, 40);
  int zeros = 0;
  for (int i = 0; i < n; i++) zeros += buf[i] == 0;
  printf("sparse read %zd, zeros %d, last %c\n", n, zeros, buf[n - 1]);
  close(fd);

  // Large write and read in one call.
  static char big[200000];
  for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7);
  snprintf(path, sizeof path, "%s/big.bin", root);
  fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
  printf("big write %zd\n", write(fd, big, sizeof big));
  lseek(fd, 0, SEEK_SET);
  static char back[200000];
  size_t got = 0;
  while (got < sizeof back) { n = read(fd, back + got, sizeof back - got); if (n <= 0) break; got += n; }
  printf("big read %zu equal=%d\n", got, memcmp(big, back, sizeof big) == 0);
  close(fd);

  // Errors.
  snprintf(path, sizeof path, "%s/missing/file.txt", root);
  printf("open missing: %d %s\n", open(path, O_RDONLY) >= 0, strerror(errno));
  snprintf(path, sizeof path, "%s/out.txt", root);
  printf("open excl existing: %d %s\n", open(path, O_CREAT | O_EXCL | O_WRONLY, 0644) >= 0, strerror(errno));
  printf("open dir for write: %d %s\n", open(root, O_WRONLY) >= 0, strerror(errno));
  return 0;
}
