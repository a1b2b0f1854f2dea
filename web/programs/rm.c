// rm [-rf] PATH...: removes files; -r removes directories with their contents, -f ignores
// missing paths.
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "support/tool.h"

static int recursive, force;

static int remove_path(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return force && errno == ENOENT ? 0 : report(path);
  if (!S_ISDIR(st.st_mode)) return unlink(path) == 0 ? 0 : report(path);
  if (!recursive) {
    fprintf(stderr, "rm: %s: is a directory\n", path);
    return 1;
  }
  DIR *dir = opendir(path);
  if (!dir) return report(path);
  // Collect the names first: removing entries while reading the directory may skip some.
  Lines names = {0};
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) lines_push(&names, strdup(entry->d_name));
  }
  closedir(dir);
  int status = 0;
  for (size_t i = 0; i < names.count; i++) {
    char child[4096];
    snprintf(child, sizeof child, "%s/%s", path, names.items[i]);
    status |= remove_path(child);
  }
  if (!status && rmdir(path) != 0) status = report(path);
  return status;
}

int main(int argc, char **argv) {
  tool_name = "rm";
  int opt;
  while ((opt = getopt(argc, argv, "rRf")) != -1) {
    if (opt == 'r' || opt == 'R') recursive = 1;
    else if (opt == 'f') force = 1;
    else usage("[-rf] PATH...");
  }
  if (optind == argc && !force) usage("[-rf] PATH...");
  int status = 0;
  for (int i = optind; i < argc; i++) status |= remove_path(argv[i]);
  return status;
}
