// mkdir [-p] DIR...: creates directories; -p creates parents and accepts existing ones.
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "support/tool.h"

static int make_parents(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int failed = mkdir(path, 0755) != 0 && errno != EEXIST;
    *p = '/';
    if (failed) return report(path);
  }
  if (mkdir(path, 0755) != 0 && errno != EEXIST) return report(path);
  return 0;
}

int main(int argc, char **argv) {
  tool_name = "mkdir";
  int parents = 0, opt;
  while ((opt = getopt(argc, argv, "p")) != -1) {
    if (opt == 'p') parents = 1;
    else usage("[-p] DIR...");
  }
  if (optind == argc) usage("[-p] DIR...");
  int status = 0;
  for (int i = optind; i < argc; i++) {
    if (parents) status |= make_parents(argv[i]);
    else if (mkdir(argv[i], 0755) != 0) status = report(argv[i]);
  }
  return status;
}
