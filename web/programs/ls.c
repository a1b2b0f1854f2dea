// ls [-la1] [PATH...]: lists directories (sorted); -a shows dot files, -l sizes and types.
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "support/tool.h"

static int all, lng;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *dir, const char *name) {
  if (!lng) { puts(name); return; }
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat st;
  if (lstat(path, &st) != 0) { report(path); return; }
  char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : '-';
  char when[32];
  struct tm tm;
  gmtime_r(&st.st_mtim.tv_sec, &tm);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
  printf("%c %10lld %s %s%s\n", kind, (long long)st.st_size, when, name, kind == 'd' ? "/" : "");
}

static int list(const char *path, int heading) {
  struct stat st;
  if (stat(path, &st) != 0) return report(path);
  if (!S_ISDIR(st.st_mode)) {
    show(".", path);
    return 0;
  }
  DIR *dir = opendir(path);
  if (!dir) return report(path);
  Lines names = {0};
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.' && !all) continue;
    lines_push(&names, strdup(entry->d_name));
  }
  closedir(dir);
  qsort(names.items, names.count, sizeof *names.items, by_name);
  if (heading) printf("%s:\n", path);
  for (size_t i = 0; i < names.count; i++) show(path, names.items[i]);
  return 0;
}

int main(int argc, char **argv) {
  tool_name = "ls";
  int opt;
  while ((opt = getopt(argc, argv, "la1")) != -1) {
    if (opt == 'l') lng = 1;
    else if (opt == 'a') all = 1;
    else if (opt != '1') usage("[-la1] [PATH...]");
  }
  if (optind == argc) return list(".", 0);
  int status = 0;
  for (int i = optind; i < argc; i++) {
    if (i > optind) putchar('\n');
    status |= list(argv[i], argc - optind > 1);
  }
  return status;
}
