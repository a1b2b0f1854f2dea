// The block structure of one decoded body: matching ends, enclosing constructs and the
// construct every label refers to. Computed with an explicit stack (no recursion).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "asyncify/binary/instr.h"

namespace asyncify {

bool isConstructStart(Op op);  // block, loop, if, try, try_table
bool endsArm(Op op);           // else, end, catch, catch_all, delegate
// Control never goes on to the next instruction: br, br_table, return, unreachable, throw,
// throw_ref, rethrow, return_call*.
bool endsFlow(Op op);

struct ControlStructure {
  static constexpr uint32_t kFunction = UINT32_MAX;  // the function's own label / scope
  static constexpr uint32_t kNone = UINT32_MAX;

  std::vector<uint32_t> parent;  // per instruction: innermost enclosing construct start
  std::vector<uint32_t> loopOf;  // per instruction: innermost enclosing loop start, or kNone
  std::vector<uint32_t> tryOf;   // per instruction: innermost enclosing try / try_table, or kNone
  std::vector<uint32_t> endOf;   // per construct start: index of its `end` (or `delegate`)
  std::vector<uint32_t> elseOf;  // per `if` start: index of its `else`, or kNone
  // Per legacy `try` start: indices of its catch / catch_all instructions, in order.
  std::vector<std::vector<uint32_t>> catchesOf;
  // Label targets: for each instruction with labels (br*, br_table, br_on_*, delegate,
  // rethrow, try_table catch clauses) the construct starts they name, in immediate order.
  std::vector<uint32_t> targetsBegin;  // per instruction, index into `targets`
  std::vector<uint32_t> targets;
  std::span<const uint32_t> targetsOf(size_t instr) const {
    uint32_t b = targetsBegin[instr], e = targetsBegin[instr + 1];
    return {targets.data() + b, e - b};
  }
  bool isLoop(uint32_t construct, std::span<const Instr> code) const {
    return construct != kFunction && code[construct].op == Op::Loop;
  }
};

// Throws asyncify::Error on unbalanced structure or out-of-range labels.
ControlStructure analyzeControl(std::span<const Instr> code, const CodePools& pools);

}  // namespace asyncify
