// Directories: mkdir, readdir (sorted, recursive), rename, unlink, rmdir and their errors.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path, int depth) {
  DIR *d = opendir(path);
  if (!d) { printf("%*sopendir %s: %s\n", depth * 2, "", path, strerror(errno)); return; }
  char *names[256];
  int count = 0;
  struct dirent *e;
  while ((e = readdir(d)) && count < 256) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    names[count++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, compare);
  for (int i = 0; i < count; i++) {
    char child[512];
    snprintf(child, sizeof child, "%s/%s", path, names[i]);
    struct stat st;
    lstat(child, &st);
    if (S_ISDIR(st.st_mode)) {
      printf("%*s%s/\n", depth * 2, "", names[i]);
      list(child, depth + 1);
    } else {
      printf("%*s%s %lld\n", depth * 2, "", names[i], (long long)st.st_size);
    }
    free(names[i]);
  }
}

static void report(int result, const char *what) {
  printf("%s: %s\n", what, result == 0 ? "ok" : strerror(errno));
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/sandbox";
  char a[256], b[256];
  printf("initial tree:\n");
  list(root, 1);

  snprintf(a, sizeof a, "%s/newdir", root);
  report(mkdir(a, 0755), "mkdir newdir");
  report(mkdir(a, 0755), "mkdir newdir again");
  snprintf(a, sizeof a, "%s/newdir/inner", root);
  report(mkdir(a, 0755), "mkdir newdir/inner");
  for (int i = 0; i < 40; i++) {
    snprintf(a, sizeof a, "%s/newdir/file-%02d.txt", root, i);
    FILE *f = fopen(a, "w");
    fprintf(f, "%d\n", i * i);
    fclose(f);
  }
  snprintf(a, sizeof a, "%s/newdir", root);
  report(rmdir(a), "rmdir non-empty");
  snprintf(a, sizeof a, "%s/newdir/file-00.txt", root);
  report(rmdir(a), "rmdir a file");
  snprintf(a, sizeof a, "%s/newdir/inner", root);
  report(unlink(a), "unlink a directory");

  snprintf(a, sizeof a, "%s/newdir/file-01.txt", root);
  snprintf(b, sizeof b, "%s/newdir/inner/moved.txt", root);
  report(rename(a, b), "rename into inner");
  snprintf(a, sizeof a, "%s/newdir/file-02.txt", root);
  snprintf(b, sizeof b, "%s/newdir/file-03.txt", root);
  report(rename(a, b), "rename over existing");
  snprintf(a, sizeof a, "%s/newdir/inner", root);
  snprintf(b, sizeof b, "%s/renamed-inner", root);
  report(rename(a, b), "rename directory");
  snprintf(a, sizeof a, "%s/nothing", root);
  report(rename(a, b), "rename missing");
  for (int i = 10; i < 40; i += 3) {
    snprintf(a, sizeof a, "%s/newdir/file-%02d.txt", root, i);
    report(unlink(a), "unlink");
  }
  snprintf(a, sizeof a, "%s/newdir/file-10.txt", root);
  report(unlink(a), "unlink again");
  snprintf(a, sizeof a, "%s/hello.txt/x", root);
  report(mkdir(a, 0755), "mkdir under a file");
  snprintf(a, sizeof a, "%s/empty", root);
  report(rmdir(a), "rmdir empty");

  printf("final tree:\n");
  list(root, 1);
  return 0;
}
