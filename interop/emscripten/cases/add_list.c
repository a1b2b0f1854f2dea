// With indirect calls ignored, a pause through a function pointer only works because the
// functions on that path are named in ASYNCIFY_ADD (which does not propagate to callers).
// emcc-flags: -sASYNCIFY -sASYNCIFY_IGNORE_INDIRECT -sASYNCIFY_ADD=['main','apply_op']
#include <emscripten.h>
#include <stdio.h>

typedef int (*op_fn)(int, int);

static int slow_add(int a, int b) {
  emscripten_sleep(1);
  return a + b;
}

static int fast_mul(int a, int b) { return a * b; }

__attribute__((noinline)) int apply_op(op_fn op, int a, int b) {
  int before = a - b;  // live across the indirect call
  return op(a, b) * 10 + before;
}

// Never set: a second call site keeps Binaryen from inlining apply_op into main, so the name
// in the list really matters.
static volatile int never = 0;

int main(void) {
  static op_fn ops[] = {slow_add, fast_mul};
  if (never) printf("%d\n", apply_op(fast_mul, 1, 2));
  int acc = 3;
  for (int i = 0; i < 6; i++) {
    acc = apply_op(ops[i % 2], acc % 1000, i + 1);
    printf("round %d: %d\n", i, acc);
  }
  return 0;
}
