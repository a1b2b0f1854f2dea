#include "asyncify/analysis/liveness.h"

#include <algorithm>

namespace asyncify {
namespace {

using CS = ControlStructure;

class BitSet {
 public:
  BitSet() = default;
  explicit BitSet(size_t bits) : words_((bits + 63) / 64, 0) {}
  void set(uint32_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  void reset(uint32_t i) { words_[i >> 6] &= ~(uint64_t{1} << (i & 63)); }
  bool test(uint32_t i) const { return words_[i >> 6] >> (i & 63) & 1; }
  // this |= other & ~mask; returns whether anything changed
  bool orAndNot(const BitSet& other, const BitSet& mask) {
    bool changed = false;
    for (size_t w = 0; w < words_.size(); w++) {
      uint64_t v = words_[w] | (other.words_[w] & ~mask.words_[w]);
      changed |= v != words_[w];
      words_[w] = v;
    }
    return changed;
  }
  bool orWith(const BitSet& other) {
    bool changed = false;
    for (size_t w = 0; w < words_.size(); w++) {
      uint64_t v = words_[w] | other.words_[w];
      changed |= v != words_[w];
      words_[w] = v;
    }
    return changed;
  }

 private:
  std::vector<uint64_t> words_;
};

bool endsBlock(Op op) {
  if (isConstructStart(op) || endsArm(op) || endsFlow(op)) return true;
  switch (op) {
    case Op::BrIf:
    case Op::BrOnNull:
    case Op::BrOnNonNull:
    case Op::BrOnCast:
    case Op::BrOnCastFail:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<std::vector<uint32_t>> liveLocalsAt(std::span<const Instr> code, const CodePools& pools,
                                                const CS& cs, uint32_t numLocals,
                                                std::span<const uint32_t> points) {
  (void)pools;
  const size_t n = code.size();
  std::vector<std::vector<uint32_t>> result(points.size());

  // Basic blocks.
  std::vector<uint32_t> blockOf(n + 1, 0);
  std::vector<uint32_t> blockStart;
  for (size_t i = 0; i < n; i++) {
    bool leader = i == 0 || endsBlock(code[i - 1].op) || endsArm(code[i].op);
    if (leader) blockStart.push_back(static_cast<uint32_t>(i));
    blockOf[i] = static_cast<uint32_t>(blockStart.size() - 1);
  }
  const size_t numBlocks = blockStart.size();
  const uint32_t exitBlock = static_cast<uint32_t>(numBlocks);  // no successors
  blockOf[n] = exitBlock;

  if (static_cast<double>(numLocals) * static_cast<double>(numBlocks) > 4e9) {
    std::vector<uint32_t> all(numLocals);
    for (uint32_t l = 0; l < numLocals; l++) all[l] = l;
    for (auto& r : result) r = all;
    return result;
  }

  // Where a branch to `construct` lands.
  auto labelBlock = [&](uint32_t construct) -> uint32_t {
    if (construct == CS::kFunction) return exitBlock;
    if (code[construct].op == Op::Loop) return blockOf[construct + 1];
    return blockOf[cs.endOf[construct]];
  };
  auto blockEnd = [&](size_t b) { return b + 1 < numBlocks ? blockStart[b + 1] : n; };

  std::vector<std::vector<uint32_t>> succ(numBlocks);
  // The handlers a block's instructions may throw to. An exception leaves from the middle of a
  // block (a call, then a local.set that the handler does not see), so what a handler reads is
  // live everywhere in the block, whatever the block writes: these edges bypass `def`.
  std::vector<std::vector<uint32_t>> throwsTo(numBlocks);
  // Exception handlers of the try bodies enclosing each position.
  std::vector<uint32_t> handlerStack;  // handler blocks, flattened
  std::vector<size_t> handlerFrames;   // for each open try: size of handlerStack before
  std::vector<uint32_t> openTries;
  for (size_t b = 0; b < numBlocks; b++) {
    size_t first = blockStart[b], last = blockEnd(b) - 1;
    // Maintain the open try bodies at `first`.
    for (size_t i = first; i <= last; i++) {
      const Instr& ins = code[i];
      if (ins.op == Op::Try || ins.op == Op::TryTable) {
        openTries.push_back(static_cast<uint32_t>(i));
        handlerFrames.push_back(handlerStack.size());
        if (ins.op == Op::Try) {
          for (uint32_t c : cs.catchesOf[i]) handlerStack.push_back(blockOf[c + 1]);
        } else {
          for (uint32_t t : cs.targetsOf(i)) handlerStack.push_back(labelBlock(t));
        }
      } else if (!openTries.empty() &&
                 (((ins.op == Op::Catch || ins.op == Op::CatchAll) &&
                   cs.parent[i] == openTries.back() && cs.catchesOf[openTries.back()][0] == i) ||
                  ((ins.op == Op::End || ins.op == Op::Delegate) &&
                   cs.endOf[openTries.back()] == i))) {
        // Leaving the protected body: its handlers no longer apply.
        handlerStack.resize(handlerFrames.back());
        handlerFrames.pop_back();
        openTries.pop_back();
      }
    }
    auto& s = succ[b];
    throwsTo[b] = handlerStack;
    const Instr& ins = code[last];
    auto next = [&] { s.push_back(blockOf[last + 1]); };
    switch (ins.op) {
      case Op::Br:
        s.push_back(labelBlock(cs.targetsOf(last)[0]));
        break;
      case Op::BrIf:
      case Op::BrOnNull:
      case Op::BrOnNonNull:
      case Op::BrOnCast:
      case Op::BrOnCastFail:
        s.push_back(labelBlock(cs.targetsOf(last)[0]));
        next();
        break;
      case Op::BrTable:
        for (uint32_t t : cs.targetsOf(last)) s.push_back(labelBlock(t));
        break;
      case Op::If:
        next();
        s.push_back(cs.elseOf[last] != CS::kNone ? blockOf[cs.elseOf[last] + 1]
                                                 : blockOf[cs.endOf[last]]);
        break;
      case Op::Else:
        s.push_back(blockOf[cs.endOf[cs.parent[last]]]);
        break;
      case Op::Catch:
      case Op::CatchAll: {
        // Falling off the previous arm goes to the end; the handler itself is entered by edges.
        s.push_back(blockOf[cs.endOf[cs.parent[last]]]);
        break;
      }
      case Op::Return:
      case Op::Unreachable:
      case Op::Throw:
      case Op::Rethrow:
      case Op::ThrowRef:
      case Op::ReturnCall:
      case Op::ReturnCallIndirect:
      case Op::ReturnCallRef:
        break;
      default:
        next();
        break;
    }
  }

  // use/def per block.
  std::vector<BitSet> use(numBlocks, BitSet(numLocals)), def(numBlocks, BitSet(numLocals));
  for (size_t b = 0; b < numBlocks; b++) {
    for (size_t i = blockStart[b]; i < blockEnd(b); i++) {
      const Instr& ins = code[i];
      if (ins.op == Op::LocalGet || ins.op == Op::LocalTee) {
        if (ins.op == Op::LocalGet && !def[b].test(ins.a)) use[b].set(ins.a);
        if (ins.op == Op::LocalTee) def[b].set(ins.a);
      } else if (ins.op == Op::LocalSet) {
        def[b].set(ins.a);
      }
    }
  }
  // Fixpoint, iterating blocks backwards (most edges point forward).
  std::vector<BitSet> liveIn(numBlocks, BitSet(numLocals)), liveOut(numBlocks, BitSet(numLocals));
  BitSet empty(numLocals);
  for (size_t b = 0; b < numBlocks; b++) liveIn[b].orWith(use[b]);
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t b = numBlocks; b-- > 0;) {
      for (uint32_t s : succ[b])
        if (s != exitBlock) liveOut[b].orWith(liveIn[s]);
      changed |= liveIn[b].orAndNot(liveOut[b], def[b]);
      for (uint32_t h : throwsTo[b]) changed |= liveIn[b].orWith(liveIn[h]);
    }
  }

  // Live before each point: walk its block backwards from the end.
  for (size_t k = 0; k < points.size(); k++) {
    uint32_t p = points[k];
    uint32_t b = blockOf[p];
    BitSet live = liveOut[b];
    for (size_t i = blockEnd(b); i-- > p;) {
      const Instr& ins = code[i];
      if (ins.op == Op::LocalSet)
        live.reset(ins.a);
      else if (ins.op == Op::LocalTee)
        live.reset(ins.a);
      else if (ins.op == Op::LocalGet)
        live.set(ins.a);
    }
    for (uint32_t h : throwsTo[b]) live.orWith(liveIn[h]);
    for (uint32_t l = 0; l < numLocals; l++)
      if (live.test(l)) result[k].push_back(l);
  }
  return result;
}

}  // namespace asyncify
