// Rewind-only copies of small loops on a rewind path.
#include <algorithm>
#include <unordered_map>

#include "instruction_properties.h"
#include "instrumenter.h"

namespace asyncify::instrumenting {

// Loops on a rewind path whose body is at most this many instructions are emitted twice. The
// benchmark's recursive fib loop (37) gains most from its copy; SQLite's run time did not
// change when loops of 41 to 48 lost theirs (the module 1.5 KB smaller; oniguruma 0.5 KB).
constexpr uint32_t kMaxCopiedLoop = 40;

// A small loop on a rewind path gets two copies: a rewind copy of its body, entered only while
// rewinding, with the skip blocks and dispatch that lead to its call sites, and the loop itself
// with none of them (its sites keep their state checks and spills, so it can still unwind; a
// rewind never lands in it). A `br` to the loop in the copy goes on into the real loop:
//   block $after                       ;; opened with the enclosing sequence's skip blocks
//     block $loop                      ;; (the loop's own label)
//       block $skip ... br $loop end   ;; the normal path jumps over the copy
//       <body with skip blocks and dispatch>  br $after
//     end
//     loop $loop <body, normal path only> end
//   end
// This takes the rewind tests out of each turn, which V8 was measured to pay for far more than
// their few instructions (recursive fib: +45% becomes +23%, SQLite over an async VFS -20%).
// The copy costs bytes: off when the module is to be small (InstrumentTarget::loopCopies), and
// not made for a loop whose every turn makes a pausable call (see everyTurnCalls).
void Instrumenter::planLoopCopies() {
  if (!target_.loopCopies) return;
  uint32_t coveredTo = 0;  // copies do not nest: inner loops run in the copy only while rewinding
  for (const auto& [c, pc] : path_) {
    const Instr& loop = code_[c];
    if (loop.op != Op::Loop || c < coveredTo || cs_.endOf[c] - c > kMaxCopiedLoop) continue;
    const uint32_t parent = cs_.parent[c];
    // Nothing below the loop on the stack and no block parameters around it: the new blocks
    // take none.
    if (!armParams(c, 0).empty() || !armParams(parent, armOf(parent, c)).empty() ||
        stacks_->height[c] != stacks_->frameBase[c])
      continue;
    // Worth it only if the loop's body tests the state somewhere (not counting the call sites'
    // checks, which both copies keep). A legacy try keeps per-handler rewind state: not copied.
    bool tested = false, hasTry = false;
    for (auto it = sequences_.lower_bound({c, 0});
         it != sequences_.end() && it->first.first < cs_.endOf[c] && !tested; ++it)
      tested = sequenceTested(it->first.first, it->first.second);
    for (uint32_t j = c + 1; j < cs_.endOf[c] && !hasTry; j++) hasTry = code_[j].op == Op::Try;
    if (!tested || hasTry || everyTurnCalls(c)) continue;
    copiedLoops_[c] = kNone;
    coveredTo = cs_.endOf[c];
  }
}

// Whether every turn of `loop` that goes round again makes a pausable call first. Such a turn
// pays for a call anyway; a copy would save only a state test beside it, not worth its bytes.
// Not a call that recurses (fib's loop, made of its tail calls, calls fib): there the turns
// are the whole work and the copy was measured to halve the added time.
// Forward over the body: `called` says a call has run on every way to this point; each block
// or if inside collects what the branches to its end carry. A branch back to the top before a
// call decides no. Handlers could be entered before any call: a loop with them is not judged.
bool Instrumenter::everyTurnCalls(uint32_t loop) const {
  const uint32_t end = cs_.endOf[loop];
  std::unordered_map<uint32_t, bool> atEnd;  // construct -> all branches to its end had called
  std::unordered_map<uint32_t, bool> atIf;   // if -> called when it was entered
  auto arrive = [&](uint32_t construct, bool state) {
    auto [it, fresh] = atEnd.try_emplace(construct, state);
    if (!fresh) it->second = it->second && state;
  };
  bool called = false;
  for (uint32_t j = loop + 1; j < end; j++) {
    const Op op = code_[j].op;
    switch (op) {
      case Op::Try:
      case Op::TryTable:
      case Op::Throw:
      case Op::ThrowRef:
      case Op::Rethrow:
        return false;
      default:
        break;
    }
    const bool live = !stacks_->unreachable[j];
    if (op == Op::If) atIf[j] = called;
    if (isConstructStart(op)) continue;
    if (op == Op::Else || op == Op::End) {
      const uint32_t c = cs_.parent[j];
      if (live) arrive(c, called);
      if (op == Op::Else) {
        called = atIf.at(c);
        continue;
      }
      if (code_[c].op == Op::If && cs_.elseOf[c] == CS::kNone) arrive(c, atIf.at(c));
      auto it = atEnd.find(c);
      called = it == atEnd.end() || it->second;  // nothing arrives: unreachable, any value
      continue;
    }
    if (!live) continue;
    if (siteAt_[j] != kNone && !recursesHere(code_[j])) called = true;
    for (uint32_t t : cs_.targetsOf(j)) {
      if (t == loop && !called) return false;
      if (t != CS::kFunction && t > loop && t < end && code_[t].op != Op::Loop) arrive(t, called);
    }
  }
  return true;
}

// A direct call from a function on a cycle of direct calls to another one (the same cycle, as a
// rule).
bool Instrumenter::recursesHere(const Instr& call) const {
  return (call.op == Op::Call || call.op == Op::ReturnCall) && target_.recursive(self_) &&
         target_.recursive(call.a);
}

// Opens the block after both copies and the one the normal path jumps to (see planLoopCopies).
void Instrumenter::openLoopCopy(CodeEmitter& e, uint32_t loop) {
  uint32_t& after = copiedLoops_.at(loop);
  after = e.freshLabel();
  e.block(after, code_[loop].block);
  e.block(loop + 1);
}

void Instrumenter::emitCopiedLoop(CodeEmitter& e, uint32_t loop) {
  const uint32_t loopEnd = cs_.endOf[loop];
  bool inPrologue = false;
  if (copiedLoops_.at(loop) == kNone) {
    // Reached without a skip block: a test per entry to the loop, not per turn.
    openLoopCopy(e, loop);
    // When nothing runs before it, that test is the rewind prologue's own `if`, whose then-arm
    // holds the copy after the frame is restored: one test instead of two on every call.
    inPrologue = prologueAt_ == SIZE_MAX && e.onlyOpensBlocks();
    if (inPrologue) {
      placePrologue(e);
    } else {
      if (target_.runningGlobal) {
        e.globalGet(*target_.runningGlobal);
      } else {
        e.globalGet(target_.stateGlobal);
        e.op(Op::I32Eqz);
      }
      e.brIf(loop + 1);
    }
  }
  const uint32_t after = copiedLoops_.at(loop);
  emitRange(e, openRewindOnlySequence(e, loop), loopEnd);
  e.br(after);
  if (inPrologue) e.end();  // the prologue's `if`
  e.end();                  // the block standing for the loop's label
  emitCopied(e, loop);
  normalOnly_ = true;
  emitRange(e, loop + 1, loopEnd);
  normalOnly_ = false;
  e.end();  // the loop
  e.end();  // after
}

}  // namespace asyncify::instrumenting
