// mv SOURCE... DEST: renames files or directories; DEST may be a directory.
#include <libgen.h>
#include <stdio.h>
#include <sys/stat.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "mv";
  if (argc < 3) usage("SOURCE... DEST");
  const char *dest = argv[argc - 1];
  struct stat st;
  int dest_is_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
  if (argc > 3 && !dest_is_dir) {
    fprintf(stderr, "mv: %s: not a directory\n", dest);
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc - 1; i++) {
    char target[4096];
    if (dest_is_dir) {
      char *copy = strdup(argv[i]);
      snprintf(target, sizeof target, "%s/%s", dest, basename(copy));
      free(copy);
    } else {
      snprintf(target, sizeof target, "%s", dest);
    }
    if (rename(argv[i], target) != 0) status = report(argv[i]);
  }
  return status;
}
