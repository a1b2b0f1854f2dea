// cp SOURCE... DEST: copies files; DEST may be a directory.
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "support/tool.h"

static int copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY);
  if (in < 0) return report(from);
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) { close(in); return report(to); }
  char buf[16384];
  ssize_t n;
  int status = 0;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, n) != n) { status = report(to); break; }
  }
  if (n < 0) status = report(from);
  close(in);
  if (close(out) != 0 && !status) status = report(to);
  return status;
}

int main(int argc, char **argv) {
  tool_name = "cp";
  if (argc < 3) usage("SOURCE... DEST");
  const char *dest = argv[argc - 1];
  struct stat st;
  int dest_is_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
  if (argc > 3 && !dest_is_dir) {
    fprintf(stderr, "cp: %s: not a directory\n", dest);
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
    status |= copy_file(argv[i], target);
  }
  return status;
}
