// mv SOURCE... DEST: renames files or directories; DEST may be a directory.
#include <stdio.h>
#include "support/tool.h"

static int move(const char *from, const char *to) {
  return rename(from, to) == 0 ? 0 : report(from);
}

int main(int argc, char **argv) {
  tool_name = "mv";
  return for_each_source(argc, argv, move);
}
