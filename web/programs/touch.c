// touch FILE...: creates missing files and sets the times of existing ones to now. Where the
// file system keeps no settable times (the browser's), an existing file is left as it is.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "touch";
  if (argc < 2) usage("FILE...");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_WRONLY | O_CREAT, 0644);
    if (fd < 0) { status = report(argv[i]); continue; }
    if (futimens(fd, NULL) != 0 && errno != ENOTSUP) status = report(argv[i]);
    close(fd);
  }
  return status;
}
