// rmdir DIR...: removes empty directories.
#include <unistd.h>
#include "support/tool.h"

int main(int argc, char **argv) {
  tool_name = "rmdir";
  if (argc < 2) usage("DIR...");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (rmdir(argv[i]) != 0) status = report(argv[i]);
  }
  return status;
}
