#include "asyncify/analysis/liveness.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <functional>

#include "asyncify/binary/error.h"

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
  uint64_t count() const {
    uint64_t n = 0;
    for (uint64_t w : words_) n += static_cast<uint64_t>(std::popcount(w));
    return n;
  }
  template <typename F>
  void forEach(F&& f) const {
    for (size_t w = 0; w < words_.size(); w++)
      for (uint64_t bits = words_[w]; bits; bits &= bits - 1)
        f(static_cast<uint32_t>(w * 64 + static_cast<unsigned>(std::countr_zero(bits))));
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

LiveAtPoints liveAtPoints(std::span<const Instr> code, const CodePools& pools, const CS& cs,
                          uint32_t numLocals, std::span<const uint32_t> points,
                          const LivenessLimits& limits) {
  (void)pools;
  const size_t n = code.size();

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

  if (uint64_t{numLocals} * numBlocks > limits.maxLocalsTimesBlocks)
    throw Error(
        fmt::format("too large for the liveness analysis: {} locals times {} basic "
                    "blocks is more than {}",
                    numLocals, numBlocks, limits.maxLocalsTimesBlocks));
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
  // live everywhere in the block, whatever the block writes: these edges bypass `def`. A block
  // names only its innermost open try; each try names its handlers and the try around it, so
  // deep nesting costs no more than its size.
  struct TryScope {
    uint32_t outer;                  // enclosing try scope, or kNone
    std::vector<uint32_t> handlers;  // handler blocks
  };
  std::vector<TryScope> tries;
  std::vector<uint32_t> tryOf(numBlocks, CS::kNone);  // innermost open try scope after the block
  std::vector<uint32_t> openTries;                    // construct starts
  std::vector<uint32_t> openScopes;                   // their scopes
  for (size_t b = 0; b < numBlocks; b++) {
    size_t first = blockStart[b], last = blockEnd(b) - 1;
    // Maintain the open try bodies at `first`.
    for (size_t i = first; i <= last; i++) {
      const Instr& ins = code[i];
      if (ins.op == Op::Try || ins.op == Op::TryTable) {
        TryScope scope{openScopes.empty() ? CS::kNone : openScopes.back(), {}};
        if (ins.op == Op::Try) {
          for (uint32_t c : cs.catchesOf[i]) scope.handlers.push_back(blockOf[c + 1]);
        } else {
          for (uint32_t t : cs.targetsOf(i)) scope.handlers.push_back(labelBlock(t));
        }
        openTries.push_back(static_cast<uint32_t>(i));
        openScopes.push_back(static_cast<uint32_t>(tries.size()));
        tries.push_back(std::move(scope));
      } else if (!openTries.empty() &&
                 (((ins.op == Op::Catch || ins.op == Op::CatchAll) &&
                   cs.parent[i] == openTries.back() && cs.catchesOf[openTries.back()][0] == i) ||
                  ((ins.op == Op::End || ins.op == Op::Delegate) &&
                   cs.endOf[openTries.back()] == i))) {
        // Leaving the protected body: its handlers no longer apply.
        openTries.pop_back();
        openScopes.pop_back();
      }
    }
    if (!openScopes.empty()) tryOf[b] = openScopes.back();
    auto& s = succ[b];
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
  for (size_t b = 0; b < numBlocks; b++) liveIn[b].orWith(use[b]);
  // Per try scope: live at entry to any handler it or an enclosing scope has (outer scopes come
  // first, so one pass per round fills them).
  std::vector<BitSet> handlerLive(tries.size(), BitSet(numLocals));
  auto updateHandlerLive = [&] {
    for (size_t t = 0; t < tries.size(); t++) {
      if (tries[t].outer != CS::kNone) handlerLive[t].orWith(handlerLive[tries[t].outer]);
      for (uint32_t h : tries[t].handlers)
        if (h != exitBlock) handlerLive[t].orWith(liveIn[h]);
    }
  };
  bool changed = true;
  while (changed) {
    changed = false;
    updateHandlerLive();
    for (size_t b = numBlocks; b-- > 0;) {
      for (uint32_t s : succ[b])
        if (s != exitBlock) liveOut[b].orWith(liveIn[s]);
      changed |= liveIn[b].orAndNot(liveOut[b], def[b]);
      if (tryOf[b] != CS::kNone) changed |= liveIn[b].orWith(handlerLive[tryOf[b]]);
    }
  }
  updateHandlerLive();

  // Live before each point: walk each block backwards once from its end, meeting its points
  // from the last to the first (a long block of calls would otherwise be walked per call).
  // Only the union and a count are kept: thousands of locals live across thousands of calls
  // cost a bitset, not a list per call.
  std::vector<uint32_t> order(points.begin(), points.end());
  std::sort(order.begin(), order.end(), std::greater<>());
  LiveAtPoints result;
  BitSet live, atPoint, any(numLocals);
  size_t cursor = 0;
  uint32_t current = exitBlock;
  for (uint32_t p : order) {
    const uint32_t b = blockOf[p];
    if (b != current) {
      current = b;
      live = liveOut[b];
      cursor = blockEnd(b);
    }
    for (; cursor > p; cursor--) {
      const Instr& ins = code[cursor - 1];
      if (ins.op == Op::LocalSet || ins.op == Op::LocalTee)
        live.reset(ins.a);
      else if (ins.op == Op::LocalGet)
        live.set(ins.a);
    }
    atPoint = live;
    // What a handler reads is live anywhere in a try body.
    if (tryOf[b] != CS::kNone) atPoint.orWith(handlerLive[tryOf[b]]);
    result.total += atPoint.count();
    any.orWith(atPoint);
  }
  any.forEach([&](uint32_t l) { result.locals.push_back(l); });
  return result;
}

}  // namespace asyncify
