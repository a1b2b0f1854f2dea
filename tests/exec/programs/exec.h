// Imports shared by the execution tests' C programs (freestanding: no libc).
// Pausing imports: sleep, get_answer, pause, next, next64, read_file. The rest never pause.
#pragma once

#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define EXPORT(name) __attribute__((export_name(#name)))
#define NOINLINE __attribute__((noinline))

IMPORT(print_i32) void print_i32(int x);
IMPORT(print_i64) void print_i64(long long x);
IMPORT(print_f32) void print_f32(float x);
IMPORT(print_f64) void print_f64(double x);
IMPORT(print_str) void print_str(const char* s, int len);

IMPORT(sleep) void sleep_ms(int ms);
IMPORT(get_answer) int get_answer(void);
IMPORT(pause) void pause_now(void);
IMPORT(next) int next(int x);                  // 3x + 1
IMPORT(next64) long long next64(long long x);  // 3x + 1
IMPORT(read_file) int read_file(const char* path, int path_len, char* buf, int cap);

static inline int str_len(const char* s) {
  int n = 0;
  while (s[n]) n++;
  return n;
}

static inline void print(const char* s) {
  print_str(s, str_len(s));
}
