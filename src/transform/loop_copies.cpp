// Rewind-only copies of small loops on a rewind path.
#include <algorithm>

#include "instruction_properties.h"
#include "instrumenter.h"

namespace asyncify::instrumenting {

// Loops on a rewind path whose body is at most this many instructions are emitted twice.
constexpr uint32_t kMaxCopiedLoop = 48;

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

// Whether every turn of `loop` that goes round again makes a pausable call: a site in the
// body's own sequence with no branch back to the top before it. Such a turn pays for a call
// anyway; the copy would save only a state test beside it, not worth its bytes.
bool Instrumenter::everyTurnCalls(uint32_t loop) const {
  for (uint32_t j = loop + 1; j < cs_.endOf[loop]; j++) {
    if (siteAt_[j] != kNone && cs_.parent[j] == loop) return true;
    for (uint32_t t : cs_.targetsOf(j))
      if (t == loop) return false;
  }
  return false;
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
