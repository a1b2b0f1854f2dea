// C++ destructors that do I/O while an exception propagates, compiled by clang with
// -fwasm-exceptions: each cleanup pad is `catch_all; call the destructor; rethrow 0`, and here
// the destructor pauses. A minimal stand-in for libc++abi below: the thrown value is kept in
// `slots`, and the handler in run() reads it from there.
extern "C" {
__attribute__((import_module("env"), import_name("next"))) int next(int);
__attribute__((import_module("env"), import_name("print_i32"))) void print(int);

static int slots[64];
static int used;
void* __cxa_allocate_exception(unsigned long) {
  return &slots[used++ & 63];
}
// Not inlined: clang 14 crashes selecting the throw inside a function with cleanups.
__attribute__((noinline)) void __cxa_throw(void* object, void*, void (*)(void*)) {
  __builtin_wasm_throw(0, object);
}
void* __cxa_begin_catch(void* exception) {
  return exception;
}
void __cxa_end_catch() {}
}
namespace std {
[[noreturn]] void terminate() noexcept {
  __builtin_trap();
}
}  // namespace std

struct Closer {
  int fd;
  ~Closer() { print(next(fd)); }
};

// Pauses in next(); when the value is odd, throws it past two destructors that pause again.
__attribute__((noinline)) static int work(int x) {
  Closer outer{x};
  int v = next(x + 1);
  if (v & 1) {
    Closer inner{v};
    throw v;
  }
  return v;
}

extern "C" __attribute__((export_name("run"))) int run(int x) {
  try {
    return work(x);
  } catch (...) {
    return -slots[(used - 1) & 63];
  }
}
