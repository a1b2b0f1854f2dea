// Linked into every shell program.
//
// asyncify_buffer: the region the Asyncify runtime saves paused call stacks into. A command module
// has no allocator the runtime may call, so it exports a static array (the runtime is told its
// size). 1 MiB holds calc paused 1,000 calls deep (its limit); zero-filled, it costs nothing in
// the file.
//
// The shell passes its working directory as PWD; wasi-libc starts every program in "/", so a
// constructor moves there before main resolves any relative path.
//
// WASI reports every standard stream as a character device, so libc would flush stdout at each
// newline even into a pipe or a file (one host call per line). The shell says in SHELL_STDOUT
// whether stdout is its terminal; otherwise output is buffered in 64 KiB blocks.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((used)) char asyncify_buffer[1 << 20];

__attribute__((constructor)) static void set_up_process(void) {
  const char *pwd = getenv("PWD");
  if (pwd && *pwd) chdir(pwd);
  const char *out = getenv("SHELL_STDOUT");
  if (out && strcmp(out, "terminal") != 0) setvbuf(stdout, malloc(1 << 16), _IOFBF, 1 << 16);
}
