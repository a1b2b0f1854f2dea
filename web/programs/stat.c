// stat PATH...: type, size, inode, links and modification time of each path.
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include "support/tool.h"

static const char *type_name(mode_t mode) {
  if (S_ISREG(mode)) return "regular file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISLNK(mode)) return "symbolic link";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISSOCK(mode)) return "socket";
  return "unknown";
}

int main(int argc, char **argv) {
  tool_name = "stat";
  if (argc < 2) usage("PATH...");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (lstat(argv[i], &st) != 0) { status = report(argv[i]); continue; }
    char when[64];
    struct tm tm;
    gmtime_r(&st.st_mtim.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    printf("  File: %s\n  Type: %s\n  Size: %lld\n Inode: %llu  Links: %llu\nModify: %s\n",
           argv[i], type_name(st.st_mode), (long long)st.st_size, (unsigned long long)st.st_ino,
           (unsigned long long)st.st_nlink, when);
  }
  return status;
}
