// Linked into every shell program.
//
// asyncify_buffer: the region the Asyncify runtime saves paused call stacks into. A command module
// has no allocator the runtime may call, so it exports a static array (the runtime is told its
// size). 1 MiB holds calc paused 1,000 calls deep (its limit); zero-filled, it costs nothing in
// the file.
//
// The shell passes its working directory as PWD; wasi-libc starts every program in "/", so a
// constructor moves there before main resolves any relative path.
#include <stdlib.h>
#include <unistd.h>

__attribute__((used)) char asyncify_buffer[1 << 20];

__attribute__((constructor)) static void enter_working_directory(void) {
  const char *pwd = getenv("PWD");
  if (pwd && *pwd) chdir(pwd);
}
