// Prints A, sleeps without blocking the host's event loop, prints B.
#include <stdio.h>

// Provided by the host as an async function: the program pauses until its Promise resolves.
__attribute__((import_module("env"), import_name("sleep_ms"))) void sleep_ms(int ms);

// The unwind buffer, exported by address (-Wl,--export=asyncify_buffer).
char asyncify_buffer[4096];

int main(void) {
  puts("A");
  sleep_ms(500);
  puts("B");
  return 0;
}
