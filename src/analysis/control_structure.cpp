#include "asyncify/analysis/control_structure.h"

#include "asyncify/binary/error.h"

namespace asyncify {

bool isConstructStart(Op op) {
  return op == Op::Block || op == Op::Loop || op == Op::If || op == Op::Try || op == Op::TryTable;
}

bool endsArm(Op op) {
  return op == Op::Else || op == Op::End || op == Op::Catch || op == Op::CatchAll ||
         op == Op::Delegate;
}

bool endsFlow(Op op) {
  switch (op) {
    case Op::Br:
    case Op::BrTable:
    case Op::Return:
    case Op::Unreachable:
    case Op::Throw:
    case Op::ThrowRef:
    case Op::Rethrow:
    case Op::ReturnCall:
    case Op::ReturnCallIndirect:
    case Op::ReturnCallRef:
      return true;
    default:
      return false;
  }
}

ControlStructure analyzeControl(std::span<const Instr> code, const CodePools& pools) {
  using CS = ControlStructure;
  CS cs;
  const size_t n = code.size();
  cs.parent.assign(n, CS::kFunction);
  cs.loopOf.assign(n, CS::kNone);
  cs.tryOf.assign(n, CS::kNone);
  cs.endOf.assign(n, CS::kNone);
  cs.elseOf.assign(n, CS::kNone);
  cs.catchesOf.resize(n);
  cs.targetsBegin.assign(n + 1, 0);
  std::vector<uint32_t> stack;  // open construct starts
  std::vector<uint32_t> loops;  // the open loops among them
  std::vector<uint32_t> tries;  // the open try and try_table constructs among them

  auto resolve = [&](const Instr& ins, uint32_t depth, size_t skip) {
    // `skip` ignores the innermost entries (delegate resolves outside its own try).
    if (depth + skip > stack.size())
      throw Error("label depth " + std::to_string(depth) + " out of range", ins.offset);
    if (depth + skip == stack.size()) return CS::kFunction;
    return stack[stack.size() - 1 - skip - depth];
  };

  for (size_t i = 0; i < n; i++) {
    const Instr& ins = code[i];
    cs.targetsBegin[i] = static_cast<uint32_t>(cs.targets.size());
    cs.parent[i] = stack.empty() ? CS::kFunction : stack.back();
    if (!loops.empty()) cs.loopOf[i] = loops.back();
    if (!tries.empty()) cs.tryOf[i] = tries.back();
    switch (ins.op) {
      case Op::Br:
      case Op::BrIf:
      case Op::BrOnNull:
      case Op::BrOnNonNull:
      case Op::BrOnCast:
      case Op::BrOnCastFail:
      case Op::Rethrow:
        cs.targets.push_back(resolve(ins, ins.a, 0));
        break;
      case Op::BrTable:
        for (uint32_t k = 0; k <= ins.b; k++)  // b targets, then the default
          cs.targets.push_back(resolve(ins, pools.labels[ins.value + k], 0));
        break;
      case Op::TryTable:
        // Catch labels are resolved outside the try_table itself.
        for (uint32_t k = 0; k < ins.b; k++)
          cs.targets.push_back(resolve(ins, pools.catches[ins.value + k].label, 0));
        break;
      case Op::Delegate:
        if (stack.empty()) throw Error("delegate outside of try", ins.offset);
        cs.targets.push_back(resolve(ins, ins.a, 1));
        break;
      default:
        break;
    }
    if (isConstructStart(ins.op)) {
      stack.push_back(static_cast<uint32_t>(i));
      if (ins.op == Op::Loop) loops.push_back(static_cast<uint32_t>(i));
      if (ins.op == Op::Try || ins.op == Op::TryTable) tries.push_back(static_cast<uint32_t>(i));
    } else if (ins.op == Op::Else) {
      if (stack.empty() || code[stack.back()].op != Op::If)
        throw Error("else without a matching if", ins.offset);
      cs.elseOf[stack.back()] = static_cast<uint32_t>(i);
      cs.parent[i] = stack.back();
    } else if (ins.op == Op::Catch || ins.op == Op::CatchAll) {
      if (stack.empty() || code[stack.back()].op != Op::Try)
        throw Error("catch without a matching try", ins.offset);
      cs.catchesOf[stack.back()].push_back(static_cast<uint32_t>(i));
    } else if (ins.op == Op::End || ins.op == Op::Delegate) {
      if (stack.empty()) {
        if (ins.op == Op::End && i + 1 == n) continue;  // the function's own end
        throw Error("unbalanced end", ins.offset);
      }
      cs.endOf[stack.back()] = static_cast<uint32_t>(i);
      if (code[stack.back()].op == Op::Loop) loops.pop_back();
      if (code[stack.back()].op == Op::Try || code[stack.back()].op == Op::TryTable)
        tries.pop_back();
      stack.pop_back();
    }
  }
  cs.targetsBegin[n] = static_cast<uint32_t>(cs.targets.size());
  if (!stack.empty())
    throw Error("function body ends inside a block", code.empty() ? 0 : code.back().offset);
  return cs;
}

}  // namespace asyncify
