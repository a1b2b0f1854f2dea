// An interpreter loop: a register-machine bytecode with a switch dispatch, counting primes by
// trial division. Its YIELD instruction calls the async import, so the whole dispatch loop is
// pausable, the case that hurts transforms most (SQLite's VDBE, QuickJS, CPython have it).
#include "common.h"

enum { LI, ADDI, ADD, MUL, REM, ANDI, BGE, BGT, BNEZ, BEQZ, JMP, YIELD, HALT };
typedef struct { uint8_t op, d, a, b; int32_t imm; } insn;

static const insn program[] = {
  {LI, 0, 0, 0, 2},      //  0: r0 = candidate
  {LI, 1, 0, 0, 0},      //  1: r1 = count
  {BGE, 0, 0, 2, 18},    //  2: loop: r0 >= r2 (limit) -> end
  {LI, 3, 0, 0, 2},      //  3: r3 = divisor
  {LI, 4, 0, 0, 1},      //  4: r4 = is_prime
  {MUL, 6, 3, 3, 0},     //  5: inner: r6 = r3 * r3
  {BGT, 0, 6, 0, 12},    //  6: r6 > r0 -> check
  {REM, 5, 0, 3, 0},     //  7: r5 = r0 % r3
  {BEQZ, 0, 5, 0, 11},   //  8: divides -> not prime
  {ADDI, 3, 3, 0, 1},    //  9
  {JMP, 0, 0, 0, 5},     // 10
  {LI, 4, 0, 0, 0},      // 11: not prime
  {ADD, 1, 1, 4, 0},     // 12: check: count += is_prime
  {ADDI, 0, 0, 0, 1},    // 13
  {ANDI, 7, 0, 0, 1023}, // 14
  {BNEZ, 0, 7, 0, 2},    // 15: most iterations go straight back
  {YIELD, 0, 0, 0, 0},   // 16: every 1024 candidates
  {JMP, 0, 0, 0, 2},     // 17
  {HALT, 0, 1, 0, 0},    // 18: end
};

static int32_t run(const insn *code, int32_t limit) {
  int32_t r[8] = {0};
  r[2] = limit;
  int32_t pc = 0;
  for (;;) {
    const insn *i = &code[pc++];
    switch (i->op) {
      case LI: r[i->d] = i->imm; break;
      case ADDI: r[i->d] = r[i->a] + i->imm; break;
      case ADD: r[i->d] = r[i->a] + r[i->b]; break;
      case MUL: r[i->d] = r[i->a] * r[i->b]; break;
      case REM: r[i->d] = r[i->b] ? r[i->a] % r[i->b] : 0; break;
      case ANDI: r[i->d] = r[i->a] & i->imm; break;
      case BGE: if (r[i->a] >= r[i->b]) pc = i->imm; break;
      case BGT: if (r[i->a] > r[i->b]) pc = i->imm; break;
      case BNEZ: if (r[i->a]) pc = i->imm; break;
      case BEQZ: if (!r[i->a]) pc = i->imm; break;
      case JMP: pc = i->imm; break;
      case YIELD: bench_tick(r[i->a]); break;
      case HALT: return r[i->a];
      default: return -1;
    }
  }
}

static insn code[sizeof program / sizeof program[0]];

BENCH_EXPORT("bench_run") int32_t bench_run(int32_t limit) {
  for (unsigned k = 0; k < sizeof program / sizeof program[0]; k++) code[k] = program[k];
  int32_t result = run(code, limit);
  bench_report(result);
  return result;
}
