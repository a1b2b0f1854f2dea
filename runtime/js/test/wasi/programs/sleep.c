// Sleeps through nanosleep, usleep and poll(): checks with the monotonic clock that time passed.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
  long ms = argc > 1 ? atol(argv[1]) : 30;
  struct timespec res;
  printf("clock_getres: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_nsec > 0);
  long long t0 = now_ms();
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  int r = nanosleep(&ts, NULL);
  printf("nanosleep: %s\n", r == 0 ? "ok" : strerror(errno));
  fflush(stdout);
  long long t1 = now_ms();
  printf("nanosleep slept enough: %d\n", t1 - t0 >= ms - 1);
  usleep(20 * 1000);
  long long t2 = now_ms();
  printf("usleep slept enough: %d\n", t2 - t1 >= 19);
  r = poll(NULL, 0, 25);
  long long t3 = now_ms();
  printf("poll timeout: %d slept enough: %d\n", r, t3 - t2 >= 24);
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  printf("realtime after 2020: %d\n", wall.tv_sec > 1577836800);
  return 0;
}
