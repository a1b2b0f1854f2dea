// Waits for stdin with poll(): first with a short timeout (no data yet), then until data comes.
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  struct pollfd p = {.fd = 0, .events = POLLIN};
  int r = poll(&p, 1, 10);
  printf("short poll: %d\n", r);
  r = poll(&p, 1, 5000);
  printf("long poll: %d readable=%d\n", r, (p.revents & POLLIN) != 0);
  char buf[256];
  ssize_t n = read(0, buf, sizeof buf);
  printf("read %zd: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
  printf("sched_yield: %d\n", sched_yield());
  for (;;) {
    r = poll(&p, 1, 5000);
    n = read(0, buf, sizeof buf);
    if (n <= 0) break;
    printf("more %zd: %.*s\n", n, (int)n, buf);
  }
  printf("end: poll %d hangup=%d read %zd\n", r, (p.revents & POLLHUP) != 0, n);
  return 0;
}
