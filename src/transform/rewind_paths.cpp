// The way from a function's start to a call site while rewinding: skip blocks, the dispatch
// that picks one, landings that spill and reload operand-stack values, handler re-entry, and
// the walk over the body that emits them (see the design comment in function_instrumenter.cpp).
#include <algorithm>

#include "asyncify/binary/encoding.h"
#include "catch_all_split.h"
#include "instruction_properties.h"
#include "instrumenter.h"

namespace asyncify::instrumenting {

// The end of the guards that open a sequence: statements that only read locals and leave by a
// `br_if` (`if (n < 2) break;`). They may run again on rewind instead of being skipped: the
// locals they read come back with the frame (they are made part of it) and do not change before
// the sequence's last target, so on rewind every guard lets control through again, as it did.
uint32_t Instrumenter::leadingGuards(uint32_t from, uint32_t to, uint32_t limit, bool keepInFrame) {
  if (from >= to || stacks_->unreachable[from]) return from;
  const uint32_t base = stacks_->height[from];
  uint32_t end = from;  // the end of the last complete guard
  std::vector<uint32_t> reads, kept;
  for (uint32_t j = from; j < to && !stacks_->unreachable[j]; j++) {
    const Instr& ins = code_[j];
    if (rematerialized(j)) break;
    if (ins.op == Op::LocalGet) {
      if (localTypes_[ins.a].isRef()) break;
      reads.push_back(j);
    } else if (ins.op == Op::BrIf) {
      if (stacks_->height[j] != base + 1 || stacks_->height[j + 1] != base) break;
      end = j + 1;
      kept.insert(kept.end(), reads.begin(), reads.end());
      reads.clear();
    } else {
      // Globals and memory may change while paused; anything else allowed here is arithmetic.
      auto r = recomputable(ins.op);
      if (!r || r->load || r->writesLocal || ins.op == Op::GlobalGet) break;
    }
  }
  for (size_t k = 0; k < kept.size(); k++) {
    // Changed before the end: stop before this guard.
    if (writtenIn(code_[kept[k]].a, kept[k], limit - 1)) {
      uint32_t j = kept[k];
      while (j > from && !(code_[j - 1].op == Op::BrIf && stacks_->height[j] == base)) j--;
      end = std::min(end, j);
    }
  }
  for (uint32_t j : kept)
    if (keepInFrame && j < end && !inFrame_[code_[j].a] && !givenBack_[code_[j].a])
      forcedSaved_.insert(code_[j].a);
  return end;
}

// The first instruction from `from` on, short of `to`, that emits something (else `to`).
uint32_t Instrumenter::pastEmptyPrefix(uint32_t from, uint32_t to) const {
  while (from < to && emitsNothing(from)) from++;
  return from;
}

uint32_t Instrumenter::sequenceStartOf(uint32_t construct, uint32_t arm) const {
  if (construct == CS::kFunction) return 0;
  if (arm == 0) return construct + 1;
  return code_[construct].op == Op::If ? cs_.elseOf[construct] + 1
                                       : cs_.catchesOf[construct][arm - 1] + 1;
}

// Whether openSequence will put a state test in front of a sequence (ignoring block hoisting):
// it does unless a lone target starts it, once guards and rematerialized reads are passed.
bool Instrumenter::sequenceTested(uint32_t construct, uint32_t arm) {
  const auto& targets = sequences_.at({construct, arm});
  if (targets.size() > 1 || !armParams(construct, arm).empty()) return true;
  const Target& first = targets.front();
  const uint32_t firstLanding = landingOf(first);
  const uint32_t j =
      leadingGuards(sequenceStartOf(construct, arm), firstLanding, endOf(first), false);
  return pastEmptyPrefix(j, firstLanding) != firstLanding;
}

// Whether target `t`'s landing follows the end of `construct` with nothing in between that a
// rewind must skip: instructions that emit nothing, and no operand to spill (every value below
// `t` is re-read or emitted again after the landing).
bool Instrumenter::landsRightAfter(uint32_t construct, const Target& t) const {
  const uint32_t at = landingOf(t);
  for (uint32_t j = cs_.endOf[construct] + 1; j < at; j++)
    if (!emitsNothing(j)) return false;
  return !spillsAtLanding(t) && cs_.endOf[construct] < at;
}

bool Instrumenter::spillsAtLanding(const Target& t) const {
  for (uint32_t k = stacks_->frameBase[t.index]; k < stacks_->height[landingOf(t)]; k++)
    if (!rematSlot_.count({t.index, k})) return true;
  return false;
}

void Instrumenter::openSequence(CodeEmitter& e, uint32_t construct, uint32_t arm) {
  if (!pendingTests_.empty() && (pendingFor_ != construct || arm != 0))
    throw Error(
        "internal error: a dispatch's tests were handed to a sequence that cannot take them");
  auto it = sequences_.find({construct, arm});
  if (it == sequences_.end()) return;
  auto& targets = it->second;
  // A lone target that starts the sequence is reached by simply running into it.
  uint32_t sequenceStart = sequenceStartOf(construct, arm);
  if (auto h = hoisted_.find(construct); h != hoisted_.end() && arm == 0) sequenceStart = h->second;
  const Target& first = targets.front();
  const uint32_t firstLanding = landingOf(first);
  // Tests handed down from enclosing dispatches lead past this construct, to targets of theirs:
  // a guard run ahead of this dispatch lets a rewind through only if what it reads does not
  // change before the last of those either.
  const uint32_t reach = std::max(endOf(targets.back()), pendingTests_.empty() ? 0 : pendingReach_);
  // The function's first state test can be the rewind prologue's own `if` (see below): at
  // function level, or in a plain block that nothing but block openings precede (a body wrapped
  // in a block, as compilers emit for early exits). One test instead of two on every call.
  bool inPrologue = construct == CS::kFunction;
  // Guards run ahead of everything (see leadingGuards): on the normal path a guard that leaves
  // also skips the state test. Not in the prologue, which must run first.
  if (!inPrologue && armParams(construct, arm).empty()) {
    const uint32_t guardEnd = leadingGuards(sequenceStart, firstLanding, reach);
    for (uint32_t j = sequenceStart; j < guardEnd; j++) {
      emitCopied(e, j);
      emittedEarly_.insert(j);
    }
    inPrologue = guardEnd == sequenceStart && prologueAt_ == SIZE_MAX &&
                 code_[construct].op == Op::Block && e.onlyOpensBlocks();
    sequenceStart = guardEnd;
  }
  // Rematerialized reads and constants emit nothing, so a prefix made only of them is empty. Not
  // when the sequence starts with values (block parameters, a caught payload): on rewind they are
  // stale, and only a skip block discards them.
  const std::vector<ValType> params = armParams(construct, arm);
  const bool hasParams = !params.empty();
  const uint32_t prefixEnd = pastEmptyPrefix(sequenceStart, firstLanding);
  if (targets.size() == 1 && firstLanding == prefixEnd && !hasParams) {
    withoutSkip_.insert(first.index);
    if (!pendingTests_.empty()) pendingFor_ = first.index;  // passed on (see absorbsTests)
    return;
  }
  // A lone plain block after statements (code that leaves nothing on the stack) can open
  // before them: `P; block B ... end` runs as `block B P ... end`, and B's own dispatch then
  // skips P too. This sequence needs no state test at all, which matters in hot loops (an
  // interpreter's dispatch loop: one test per turn fewer).
  const Instr& firstIns = code_[first.index];
  const bool hoistable = !hasParams && hoistableBlock(first, sequenceStart);
  if (targets.size() == 1 && hoistable) {
    hoisted_[first.index] = sequenceStart;
    withoutSkip_.insert(first.index);
    if (!pendingTests_.empty()) pendingFor_ = first.index;  // passed on (see absorbsTests)
    enterPathConstruct(e, first.index);
    return;
  }
  // Skip blocks, the first target's innermost. In a block with parameters they take those
  // parameters (a skip discards them; the code it skips would have consumed them).
  BlockType skipType;
  if (hasParams) {
    skipType.kind = BlockType::Index;
    skipType.index = kTypePlaceholder + static_cast<uint32_t>(blockTypes_.size());
    blockTypes_.push_back({params, {}});
  }
  // At the top of a loop body, leading statements that may run again go first (see
  // reexecutable); on rewind the dispatch then puts back what they overwrote: from the scratch
  // globals the prologue filled, or from shadow locals the prologue also restores (frames
  // restored by multi-value helpers or inline). Elsewhere the test runs once anyway: not worth
  // the bytes.
  std::vector<uint32_t> rerun;  // frame locals the leading statements write
  const uint32_t owner = sequenceStart > 0 ? cs_.parent[sequenceStart] : CS::kFunction;
  const bool loopTop =
      owner != CS::kFunction && code_[owner].op == Op::Loop && sequenceStart == owner + 1;
  if (loopTop && !hasParams && !copiedLoops_.count(owner)) {
    const uint32_t base = stacks_->frameBase[first.index];
    uint32_t runEnd = sequenceStart;
    // (Control instructions are not re-executable, so the run never leaves its construct;
    // with a hoisted block it may start in the enclosing one.)
    for (uint32_t j = sequenceStart; j < firstLanding && reexecutable(code_[j].op) &&
                                     !stacks_->unreachable[j] && !rematerialized(j);
         j++) {
      if (code_[j].op == Op::LocalSet || code_[j].op == Op::LocalTee) {
        const uint32_t l = code_[j].a;
        if (localTypes_[l].isRef()) break;
      }
      if (stacks_->height[j + 1] == base) runEnd = j + 1;
    }
    for (uint32_t j = sequenceStart; j < runEnd; j++) {
      emitCopied(e, j);
      emittedEarly_.insert(j);
      const Op op = code_[j].op;
      if ((op == Op::LocalSet || op == Op::LocalTee) && inFrame_[code_[j].a] &&
          std::find(rerun.begin(), rerun.end(), code_[j].a) == rerun.end()) {
        rerun.push_back(code_[j].a);
        forcedSaved_.insert(code_[j].a);
        if (!scratchRestore_ && !shadowOf_.count(code_[j].a))
          shadowOf_[code_[j].a] = addLocal(localTypes_[code_[j].a]);
      }
    }
  }
  bool setsConditions = false;
  for (const auto& t : targets) {
    if (t.isSite || code_[t.index].op != Op::If) continue;
    const PathConstruct& pc = path_.at(t.index);
    setsConditions |= !pc.condRematerialized && !pc.armImplied;
  }
  // A dispatch that would only pick a later target or fall into the first, a block or loop whose
  // own dispatch is the first thing to run in it (absorbsTests), hands its tests to that
  // dispatch: one state test instead of two (and the tests may join that dispatch's table).
  const bool handsDown = rerun.empty() && !setsConditions && absorbsTests(first.index);
  // Nothing to skip before the first target: the dispatch falls through to it by leaving the
  // `if` it sits in, and it needs no skip block (not a copied loop, whose landing sends the
  // normal path to the loop and a rewind to its copy).
  const bool firstNotCopied = first.isSite || !copiedLoops_.count(first.index);
  const bool fallThrough =
      targets.size() > 1 && firstLanding == prefixEnd && !hasParams && firstNotCopied;
  // Otherwise the code before the first target goes in the else-arm of the dispatch's `if`
  // (at function level, the rewind prologue's), which stands in for the first target's skip
  // block: a rewind that leaves the then-arm without branching reaches it. Not with block
  // parameters (an if-arm cannot discard them).
  const bool elseArm = !fallThrough && !hasParams && firstNotCopied;
  // With code before a plain block that takes the tests, the block opens first (as a lone one
  // does above), so that its dispatch skips that code too.
  const bool hoistsFirst = handsDown && firstLanding != prefixEnd && hoistable;
  const bool handedDown = hoistsFirst || (fallThrough && handsDown);
  // Handed down, the tests run inside the first target: when that is a block without results
  // and the second target starts right at its end, a branch to the block's own label skips to
  // the second target, which then needs no skip block.
  const bool secondAtFirstsEnd = handedDown && targets.size() > 1 && firstIns.op == Op::Block &&
                                 firstIns.block.kind == BlockType::Empty &&
                                 (targets[1].isSite || !copiedLoops_.count(targets[1].index)) &&
                                 landsRightAfter(first.index, targets[1]);
  std::vector<uint32_t> skip(targets.size());
  if (secondAtFirstsEnd) {
    skip[1] = first.index + 1;
    withoutSkip_.insert(targets[1].index);
  }
  for (size_t j = targets.size(); j-- > (secondAtFirstsEnd ? 2 : fallThrough || elseArm ? 1 : 0);) {
    if (!targets[j].isSite && copiedLoops_.count(targets[j].index))
      openLoopCopy(e, targets[j].index);
    skip[j] = e.freshLabel();
    e.block(skip[j], skipType);
  }
  if (handedDown) {
    for (size_t j = targets.size(); j-- > 1;)
      pendingTests_.push_back(
          {idRangeOf(targets[j - 1]).second, idRangeOf(targets[j]).second, skip[j]});
    pendingFor_ = first.index;
    pendingReach_ = reach;
    withoutSkip_.insert(first.index);
    if (hoistsFirst) {
      hoisted_[first.index] = sequenceStart;
      enterPathConstruct(e, first.index);
    }
    return;
  }
  auto putBack = [&] {
    for (uint32_t l : rerun) {
      if (scratchRestore_)
        e.globalGet(kFrameLocalPlaceholder + l);
      else
        e.localGet(shadowOf_.at(l));
      e.localSet(l);
    }
  };
  // The dispatch goes inside the rewind prologue (spliced in at prologueAt_ once the frame is
  // known), which already tests the state.
  if (inPrologue) placePrologue(e);
  if (targets.size() == 1 && !setsConditions && !elseArm) {
    if (inPrologue) {
      e.br(skip[0]);
      e.end();
      return;
    }
    e.globalGet(target_.stateGlobal);  // non-zero here only while rewinding
    if (rerun.empty()) {
      e.brIf(skip[0]);
      return;
    }
    e.open(CodeEmitter::make(Op::If), e.freshLabel());
    putBack();
    e.br(skip[0]);
    e.end();
    return;
  }

  // A chain of `resume > k` tests that only picks later targets, run at most once on the normal
  // path (no loop around it) and before any if's landing writes the resume local (see
  // armImplied), finds there the id of an earlier site or zero: below every k. It needs no
  // state test in front (and then beats a table by those bytes).
  // Elsewhere (in a loop, or once an if's landing may have written the local) the same chain
  // can test the id that the prologue also left in the rewinding flag, zero on the normal path.
  const bool testsAlone = !inPrologue && rerun.empty() && !setsConditions;
  if (testsAlone && fallThrough &&
      emitChainWithoutStateTest(e, construct, sequenceStart, targets, skip)) {
    withoutSkip_.insert(first.index);
    return;
  }

  // Dispatch, taken only while rewinding (the state returns to normal once the call site's
  // callee has finished rewinding, so nothing needs clearing on landing).
  const uint32_t dispatchLabel = inPrologue ? prologueLabel_ : e.freshLabel();
  // Nothing to do while rewinding but to skip the code before the lone target: that code is the
  // then-arm of a test of the private "running" flag, one byte shorter than an empty then-arm.
  // Where the tests can do without a state test (see above), they go first, outside loops
  // (on every turn they would cost more than the test they replace).
  if (testsAlone && elseArm && target_.runningGlobal &&
      ((targets.size() == 1 && pendingTests_.empty()) ||
       (loopAround(construct) == CS::kNone &&
        emitChainWithoutStateTest(e, construct, sequenceStart, targets, skip)))) {
    e.globalGet(*target_.runningGlobal);
    e.open(CodeEmitter::make(Op::If), dispatchLabel);
    skip[0] = dispatchLabel;  // the first target's landing ends the `if`
    return;
  }
  if (!inPrologue) {
    e.globalGet(target_.stateGlobal);
    e.open(CodeEmitter::make(Op::If), dispatchLabel);
  }
  if (fallThrough || elseArm) skip[0] = dispatchLabel;
  if (fallThrough) withoutSkip_.insert(first.index);
  putBack();
  if (!emitCombinedTable(e, targets, skip, fallThrough || elseArm, pendingTests_)) {
    for (const auto& t : pendingTests_) branchIfResumeAbove(e, t.above, t.label);
    emitDispatch(e, targets, skip, fallThrough || elseArm);
  }
  pendingTests_.clear();
  if (elseArm) {
    e.op(Op::Else);  // the normal path; the first target's landing ends the `if`
    return;
  }
  e.end();  // if
}

std::pair<uint32_t, uint32_t> Instrumenter::idRangeOf(const Target& t) const {
  if (t.isSite) {
    const uint32_t id = sites_[siteAt_[t.index]].id;
    return {id, id};
  }
  const PathConstruct& pc = path_.at(t.index);
  return {pc.lo, pc.hi};
}

bool Instrumenter::emitChainWithoutStateTest(CodeEmitter& e, uint32_t construct,
                                             uint32_t sequenceStart,
                                             const std::vector<Target>& targets,
                                             const std::vector<uint32_t>& skip) {
  constexpr size_t kStateTestBytes = 5;  // global.get, if, end
  if (!chainIsSmaller(targets, true) ||
      combinedTableIsSmaller(targets, true, pendingTests_, kStateTestBytes))
    return false;
  const bool belowIds = resumeBelowIdsAt(construct, sequenceStart);
  if (!belowIds && !flagDispatchAt(construct, pendingTests_.size() + targets.size() - 1))
    return false;
  resumeFromFlag_ = !belowIds;
  for (const auto& t : pendingTests_) branchIfResumeAbove(e, t.above, t.label);
  pendingTests_.clear();
  emitDispatch(e, targets, skip, true);
  resumeFromFlag_ = false;
  return true;
}

uint32_t Instrumenter::loopAround(uint32_t construct) const {
  if (construct == CS::kFunction) return CS::kNone;
  return code_[construct].op == Op::Loop ? construct : cs_.loopOf[construct];
}

bool Instrumenter::resumeBelowIdsAt(uint32_t construct, uint32_t at) const {
  if (at > firstResumeWrite_) return false;
  const uint32_t loop = loopAround(construct);
  if (loop == CS::kNone) return true;
  // A copied loop's rewind copy, where this dispatch is, runs once: it is no loop.
  return copiedLoops_.count(loop) && !normalOnly_;
}

namespace {
size_t i32ConstBytes(uint32_t v) {
  std::vector<uint8_t> bytes;
  writeVarS32(bytes, static_cast<int32_t>(v));
  return 1 + bytes.size();
}
// How many leading and how many trailing entries repeat the first and the last one.
std::pair<uint32_t, uint32_t> endRuns(const std::vector<uint32_t>& v) {
  uint32_t first = 1, last = 1;
  while (first < v.size() && v[first] == v.front()) first++;
  while (last < v.size() && v[v.size() - 1 - last] == v.back()) last++;
  return {first, last};
}
}  // namespace

// The dispatch cost model, in bytes. Label depths count one byte, two in a dispatch over more
// than 100 targets (their skip blocks nest that deep).
size_t Instrumenter::comparisonBytes(uint32_t id) const {
  return 1 + varU32Size(resumeLocal_) + i32ConstBytes(id) + 1 + 2;  // get, const, compare, br_if
}

size_t Instrumenter::chainBytes(const std::vector<Target>& targets, bool fallThrough) const {
  size_t bytes = fallThrough ? 0 : 2;  // else a final `br` to the last target
  for (size_t j = 0; j + 1 < targets.size(); j++)
    bytes += comparisonBytes(idRangeOf(targets[j]).second);
  return bytes;
}

// Only ids of the dispatch's own range reach its table, so the longest run of one label at
// either end of that range can be left to the default label: the table then lists the ids from
// `base` to `end` only (from 0 when `base` is too small to be worth subtracting).
Instrumenter::IdTableShape Instrumenter::shapeIdTable(uint32_t lo, uint32_t hi, uint32_t firstRun,
                                                      uint32_t lastRun, size_t targets) const {
  auto shaped = [&](uint32_t base, uint32_t end, bool defaultIsFirst) {
    IdTableShape s{base, end, defaultIsFirst, tableOffset(base), 0};
    const uint32_t entries = end - (s.offset ? base : 0);
    s.bytes = 1 + varU32Size(resumeLocal_) + (s.offset ? i32ConstBytes(base) + 1 : 0) + 1 +
              varU32Size(entries) + (entries + 1) * (targets > 100 ? 2 : 1);
    return s;
  };
  const IdTableShape lastIsDefault = shaped(lo, hi + 1 - lastRun, false);
  const IdTableShape firstIsDefault = shaped(lo + firstRun, hi + 1, true);
  return firstIsDefault.bytes < lastIsDefault.bytes ? firstIsDefault : lastIsDefault;
}

size_t Instrumenter::tableBytes(const std::vector<Target>& targets) const {
  const auto [lo, firstHi] = idRangeOf(targets.front());
  const auto [lastLo, hi] = idRangeOf(targets.back());
  return shapeIdTable(lo, hi, firstHi - lo + 1, hi - lastLo + 1, targets.size()).bytes;
}

// A comparison per target, or a table per id: whichever is smaller.
bool Instrumenter::chainIsSmaller(const std::vector<Target>& targets, bool fallThrough) const {
  return chainBytes(targets, fallThrough) <= tableBytes(targets);
}

// Whether `t` is a plain block (no parameters or results on the stack around it) that may open
// before the statements from `sequenceStart` up to it (see openSequence).
bool Instrumenter::hoistableBlock(const Target& t, uint32_t sequenceStart) const {
  return !t.isSite && code_[t.index].op == Op::Block && armParams(t.index, 0).empty() &&
         !stacks_->unreachable[t.index] &&
         stacks_->height[t.index] == stacks_->frameBase[t.index] &&
         stacks_->height[sequenceStart] == stacks_->frameBase[t.index];
}

// Whether the dispatch of construct `start`'s body is sure to be the first code that runs in
// it and to test the state with an `if` of its own (see openSequence): a block or loop without
// parameters whose body has several targets and no guards to run ahead, or whose body runs
// straight into a lone target that does (a block nested in blocks: the tests pass through).
bool Instrumenter::absorbsTests(uint32_t start) {
  const Op op = code_[start].op;
  if ((op != Op::Block && op != Op::Loop) || copiedLoops_.count(start) ||
      !armParams(start, 0).empty())
    return false;
  auto it = sequences_.find({start, 0});
  if (it == sequences_.end()) return false;
  const auto& targets = it->second;
  const uint32_t from = sequenceStartOf(start, 0);
  const uint32_t firstLanding = landingOf(targets.front());
  if (leadingGuards(from, firstLanding, endOf(targets.back()), false) != from) return false;
  if (targets.size() >= 2) return true;
  const Target& lone = targets.front();
  if (lone.isSite) return false;
  return (pastEmptyPrefix(from, firstLanding) == firstLanding || hoistableBlock(lone, from)) &&
         absorbsTests(lone.index);
}

void Instrumenter::loadResume(CodeEmitter& e) {
  if (resumeFromFlag_)
    e.globalGet(*target_.rewindingGlobal);
  else
    e.localGet(resumeLocal_);
}

// A comparison costs about what the state test does when it is the only one; in a loop, where
// it runs on every turn, no more than two take its place.
bool Instrumenter::flagDispatchAt(uint32_t construct, size_t tests) const {
  if (!target_.rewindingGlobal || (!recalls_.empty() && recallIdBase_ == 0))
    return false;  // a recall id would be zero
  constexpr size_t kMaxTestsInLoop = 2;
  return loopAround(construct) == CS::kNone || tests <= kMaxTestsInLoop;
}

void Instrumenter::branchIfResumeAbove(CodeEmitter& e, uint32_t above, uint32_t label) {
  loadResume(e);
  e.i32Const(static_cast<int32_t>(above));
  e.op(Op::I32GtU);
  e.brIf(label);
}

// Tests handed down through many levels (a C switch: a block per case) cost a comparison each;
// one table over every id they and this dispatch cover costs a byte per id.
bool Instrumenter::combinedTableIsSmaller(const std::vector<Target>& targets, bool fallThrough,
                                          const std::vector<PendingTest>& pending,
                                          size_t separateSaves) const {
  if (pending.empty()) return false;
  const size_t m = targets.size();
  size_t separate = 0;  // bytes of the tests and of this dispatch on their own
  for (const auto& t : pending) separate += comparisonBytes(t.above);
  if (m == 1)
    separate += fallThrough ? 0 : 2;
  else
    separate += std::min(chainBytes(targets, fallThrough), tableBytes(targets));
  const std::vector<uint32_t> slots = combinedSlots(targets, pending);
  const uint32_t lo = idRangeOf(targets.front()).first;
  const auto [firstRun, lastRun] = endRuns(slots);
  const IdTableShape shape = shapeIdTable(lo, lo + static_cast<uint32_t>(slots.size()) - 1,
                                          firstRun, lastRun, m + pending.size());
  return shape.bytes + separateSaves < separate;
}

// What each id of a combined table leads to, from the lowest of `targets`' ids up: target j
// (slot j) or the pending test k whose branch it takes (slot targets.size() + k).
std::vector<uint32_t> Instrumenter::combinedSlots(const std::vector<Target>& targets,
                                                  const std::vector<PendingTest>& pending) const {
  const size_t m = targets.size();
  const uint32_t lo = idRangeOf(targets.front()).first;
  uint32_t top = idRangeOf(targets.back()).second;
  for (const auto& t : pending) top = std::max(top, t.upTo);
  std::vector<uint32_t> slots;
  for (uint32_t id = lo; id <= top; id++) {
    uint32_t slot = kNone;
    for (size_t k = 0; k < pending.size(); k++)  // in order: the first test that holds decides
      if (id > pending[k].above) {
        slot = static_cast<uint32_t>(m + k);
        break;
      }
    for (size_t j = 0; j < m && slot == kNone; j++)
      if (id <= idRangeOf(targets[j]).second) slot = static_cast<uint32_t>(j);
    slots.push_back(slot);
  }
  return slots;
}

// Emits the arm selectors and one table for the pending tests and this dispatch when that is
// smaller; returns whether it did.
bool Instrumenter::emitCombinedTable(CodeEmitter& e, const std::vector<Target>& targets,
                                     const std::vector<uint32_t>& skip, bool fallThrough,
                                     const std::vector<PendingTest>& pending) {
  if (!combinedTableIsSmaller(targets, fallThrough, pending)) return false;
  emitArmSelectors(e, targets);
  std::vector<uint32_t> labels;
  for (uint32_t slot : combinedSlots(targets, pending))
    labels.push_back(slot < targets.size() ? skip[slot] : pending[slot - targets.size()].label);
  emitIdTable(e, idRangeOf(targets.front()).first, std::move(labels),
              targets.size() + pending.size());
  return true;
}

// Indexed by the id itself when padding the table below `lo` (ids there cannot occur) costs
// less than subtracting it (three bytes).
bool Instrumenter::tableOffset(uint32_t lo) {
  return lo >= 3;
}

void Instrumenter::emitIdTable(CodeEmitter& e, uint32_t lo, std::vector<uint32_t> labels,
                               size_t targets) {
  const auto [firstRun, lastRun] = endRuns(labels);
  const uint32_t hi = lo + static_cast<uint32_t>(labels.size()) - 1;
  const IdTableShape shape = shapeIdTable(lo, hi, firstRun, lastRun, targets);
  const uint32_t defaultLabel = shape.defaultIsFirst ? labels.front() : labels.back();
  // Entries for ids base..end-1; below base (when not subtracted) the padding takes the first
  // label: those ids are the first run's or cannot occur.
  std::vector<uint32_t> entries(labels.begin() + (shape.base - lo),
                                labels.begin() + (shape.end - lo));
  if (!shape.offset) entries.insert(entries.begin(), shape.base, labels.front());
  entries.push_back(defaultLabel);
  loadResume(e);
  if (shape.offset) {
    e.i32Const(static_cast<int32_t>(shape.base));
    e.op(Op::I32Sub);
  }
  e.brTable(entries);
}

// A restored or recomputed condition picks the same arm again; with every site in one arm the
// arm is implied (see armImplied). Otherwise the resume id tells.
void Instrumenter::emitArmSelectors(CodeEmitter& e, const std::vector<Target>& targets) {
  for (const auto& t : targets) {
    if (t.isSite || code_[t.index].op != Op::If) continue;
    const auto& pc = path_.at(t.index);
    if (pc.condRematerialized || pc.armImplied) continue;
    e.localGet(resumeLocal_);
    e.i32Const(static_cast<int32_t>(pc.hiThen));
    e.op(Op::I32LeU);
    e.localSet(pc.condLocal);
  }
}

// Sets the arm selectors of the ifs among `targets` and branches to the skip block of the
// target holding the resume id. With `fallThrough`, skip[0] is the label of the `if` around the
// dispatch, so ending the dispatch without a branch reaches the first target.
void Instrumenter::emitDispatch(CodeEmitter& e, const std::vector<Target>& targets,
                                const std::vector<uint32_t>& skip, bool fallThrough) {
  emitArmSelectors(e, targets);
  const size_t m = targets.size();
  const bool chain = m > 1 && chainIsSmaller(targets, fallThrough);
  if (m == 1) {
    if (!fallThrough) e.br(skip[0]);
  } else if (chain && fallThrough) {
    for (size_t j = m; j-- > 1;)  // later targets first: ids past the previous one's go there
      branchIfResumeAbove(e, idRangeOf(targets[j - 1]).second, skip[j]);
  } else if (chain) {
    for (size_t j = 0; j + 1 < m; j++) {
      loadResume(e);
      e.i32Const(static_cast<int32_t>(idRangeOf(targets[j]).second));
      e.op(Op::I32LeU);
      e.brIf(skip[j]);
    }
    e.br(skip[m - 1]);
  } else {
    std::vector<uint32_t> labels;
    for (size_t j = 0; j < m; j++) {
      auto [a, b] = idRangeOf(targets[j]);
      for (uint32_t id = a; id <= b; id++) labels.push_back(skip[j]);
    }
    emitIdTable(e, idRangeOf(targets.front()).first, std::move(labels), m);
  }
}

// The top sequence of a loop's rewind copy (see planLoopCopies): entered only while rewinding,
// so the dispatch needs no state test and the code before the first target, always skipped, is
// left out. Returns where the copy's code resumes: the first target's landing (whose spills,
// if any, right after the dispatch, are never reached).
uint32_t Instrumenter::openRewindOnlySequence(CodeEmitter& e, uint32_t construct) {
  const auto& targets = sequences_.at({construct, 0});
  const Target& first = targets.front();
  // When the first target's landing spills nothing, a dispatch that only branches to later
  // targets falls into it: no skip block for it (a table names it, so it keeps one).
  const bool fallThrough =
      !spillsAtLanding(first) && (targets.size() == 1 || chainIsSmaller(targets, true));
  std::vector<uint32_t> skip(targets.size());
  for (size_t j = targets.size(); j-- > (fallThrough ? 1 : 0);) {
    skip[j] = e.freshLabel();
    e.block(skip[j]);
  }
  if (fallThrough) withoutSkip_.insert(first.index);
  emitDispatch(e, targets, skip, fallThrough);
  return landingOf(first);
}

void Instrumenter::emitLanding(CodeEmitter& e, const Target& t) {
  // Pop the current frame's values into locals, close the skip block, push them back.
  // Rematerialized values were never pushed; the last target needing one reloads it.
  const uint32_t at = landingOf(t);
  const auto& typesAt = stacks_->types.at(t.index);
  const uint32_t base = stacks_->frameBase[t.index];
  const uint32_t top = stacks_->height[at];
  const Site* site = t.isSite ? &sites_[siteAt_[t.index]] : nullptr;
  // An if's condition is on the stack at its landing unless it is computed again on rewind.
  const bool isIf = !t.isSite && code_[t.index].op == Op::If && !path_.at(t.index).condRecomputed;
  PathConstruct* pc = t.isSite ? nullptr : &path_.at(t.index);
  // A construct's operands (its parameters, an if's condition) are only needed on the normal
  // path: on rewind the code that consumes them is skipped.
  uint32_t operandsFrom = top;
  if (pc) {
    const Instr& ins = code_[t.index];
    operandsFrom -= isIf ? 1 : 0;
    if (ins.block.kind == BlockType::Index)
      operandsFrom -= static_cast<uint32_t>(m_.funcType(ins.block.index).params.size());
  }

  struct Slot {
    uint32_t local = kNone;     // where the value is reloaded from
    uint32_t constant = kNone;  // or the constant (expression) that is emitted again
    const std::vector<uint32_t>* reads = nullptr;  // the locals that expression reads
    bool reload = true;                            // pushed back after the landing
    bool temp = false;
    bool readsMemory = false;  // the expression loads: its reads must come back exactly
    bool select = false;       // and while rewinding the value is `local` (saved) instead,
    bool orState = false;      // or, an if's condition, non-zero (the if holds the sites)
  };
  std::vector<Slot> slots(top - base);
  for (uint32_t k = top; k-- > base;) {
    Slot& slot = slots[k - base];
    auto r = rematSlot_.find({t.index, k});
    if (r != rematSlot_.end()) {
      const Remat& rm = remat_.at(r->second);
      slot.local = rm.local;
      if (rm.local == kNone) slot.constant = rm.producer;
      slot.reads = &rm.reads;
      slot.reload = rm.lastClaimer == t.index;
      slot.readsMemory = rm.readsMemory;
      slot.orState = rm.readsMemory && !site;
      if (rm.readsMemory && site && !argIgnoredAt(*site, top, k)) {
        slot.select = true;
        slot.local = landingTemp(t.index, k - base, typesAt[k]);
        slot.temp = true;
      }
      continue;
    }
    if (isIf && k == top - 1) {
      slot.local = pc->condLocal;
    } else {
      slot.local = landingTemp(t.index, k - base, typesAt[k]);
      slot.temp = true;
    }
    e.localSet(slot.local);
  }
  if (!normalOnly_ && !withoutSkip_.count(t.index)) {
    // A copied loop's normal path jumps over its rewind copy, which starts right here.
    if (auto c = copiedLoops_.find(t.index); c != copiedLoops_.end()) e.br(t.index + 1);
    e.end();  // the skip block
  }
  for (uint32_t k = base; k < top; k++) {
    const Slot& slot = slots[k - base];
    if (!slot.reload) continue;
    if (slot.constant != kNone) {
      if (slot.select) e.localGet(slot.local);
      for (uint32_t j = remat_.at(slot.constant).first; j <= slot.constant; j++) emitCopied(e, j);
      if (slot.select) {
        e.globalGet(target_.stateGlobal);  // rewinding: the saved value
        e.op(Op::Select);
        e.localTee(slot.local);
      } else if (slot.orState) {
        e.globalGet(target_.stateGlobal);  // rewinding: the then-arm
        e.op(Op::I32Or);
      }
      continue;
    }
    e.localGet(slot.local);
    if (needsNonNull(typesAt[k])) e.op(Op::RefAsNonNull);
  }

  std::vector<uint32_t> temps, saved;
  for (uint32_t k = base; k < top; k++) {
    const Slot& slot = slots[k - base];
    if (slot.temp) temps.push_back(slot.local);
    const bool ignoredArg = site && argIgnoredAt(*site, top, k);
    // A rematerialized condition is re-read from its local, or computed again by the expression
    // (whose slot has no local), on rewind to pick the same arm.
    const bool rematCondition = isIf && k == top - 1 && !slot.temp &&
                                (slot.constant != kNone || slot.local != pc->condLocal);
    if (slot.constant != kNone) {  // nothing to save, but what an expression reads
      if (slot.reads && ((!ignoredArg && k < operandsFrom) || rematCondition || slot.readsMemory))
        for (uint32_t l : *slot.reads)
          if (!givenBack_[l]) saved.push_back(l);
      if (slot.select) saved.push_back(slot.local);
      continue;
    }
    if (!slot.temp && slot.local < givenBack_.size() && givenBack_[slot.local]) continue;
    if ((!ignoredArg && k < operandsFrom) || rematCondition) saved.push_back(slot.local);
  }
  if (site) {
    siteTemps_[site->index] = saved;
    siteUnsavedTemps_[site->index] = temps;  // all released after the call
  } else {
    pc->belowTemps = temps;
    pc->belowSaved = saved;
  }
}

void Instrumenter::emitCopied(CodeEmitter& e, size_t i) {
  const Instr& ins = code_[i];
  auto targets = cs_.targetsOf(i);
  std::vector<uint32_t> labels(targets.size());
  for (size_t k = 0; k < targets.size(); k++)
    labels[k] = targets[k] == CS::kFunction ? CodeEmitter::kFunctionLabel : targets[k] + 1;
  if (ins.op == Op::TryTable) {
    e.openTryTable(ins, static_cast<uint32_t>(i) + 1, labels);
  } else if (isConstructStart(ins.op)) {
    e.open(ins, static_cast<uint32_t>(i) + 1);
  } else if (!labels.empty()) {
    e.branch(ins, labels);
  } else {
    e.plain(ins);
  }
}

// Entering a legacy catch handler on rewind: the handler runs only when its exception is caught,
// so the try body starts by throwing it again, as it was caught: the same tag (a private one for
// catch_all, which no earlier clause can catch) with the payload the handler kept, or with
// zeros when nothing after the pause reads the exception itself (the handler's uses of the
// payload before the pause are skipped, and values it left on the stack are in the frame). A
// catch_all that rethrows after a pause catches only a host's exceptions (catch_all_split.h),
// which cannot be thrown again: rewinding into it traps.
void Instrumenter::emitHandlerReentry(CodeEmitter& e, uint32_t tryStart) {
  PathConstruct& pc = path_.at(tryStart);
  const auto& catches = cs_.catchesOf[tryStart];
  bool any = false;
  std::vector<bool> trapsOnReentry(pc.armIds.size(), false);
  for (uint32_t arm = 1; arm < pc.armIds.size(); arm++) {
    if (pc.armIds[arm].first == kNone) continue;
    any = true;
    // A handler that may rethrow after a pause keeps its payload (the rethrown exception must
    // carry it); openHandler copies it into these locals on entry.
    const uint32_t from = catches[arm - 1] + 1;
    const uint32_t to = arm < catches.size() ? catches[arm] : cs_.endOf[tryStart];
    std::optional<uint64_t> rethrowAt;
    for (uint32_t j = from; j < to && !rethrowAt; j++)
      if (code_[j].op == Op::Rethrow && cs_.targetsOf(j)[0] == tryStart)
        rethrowAt = code_[j].offset;
    if (!rethrowAt) continue;
    const Instr& clause = code_[catches[arm - 1]];
    if (clause.op == Op::CatchAll) {
      // Split by tag (catch_all_split.h) unless too many tags reach it.
      if (!earlierClausesCatchAllTags(code_, catches, arm - 1, m_.numTags()))
        unsupported(fmt::format("a pausable call in a catch_all handler that rethrows an "
                                "exception of one of more than {} tags: the caught exception "
                                "cannot be rebuilt on rewind",
                                kMaxSplitTags),
                    *rethrowAt);
      hostCatchAllTraps_.push_back(clause.offset);
      trapsOnReentry[arm] = true;
      continue;
    }
    for (ValType t : tagParams(clause.a)) pc.payloadLocals[arm].push_back(addLocal(t));
  }
  if (!any) return;
  e.globalGet(target_.stateGlobal);  // non-zero here only while rewinding
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  for (uint32_t arm = 1; arm < pc.armIds.size(); arm++) {
    auto [lo, hi] = pc.armIds[arm];
    if (lo == kNone) continue;
    const Instr& clause = code_[catches[arm - 1]];
    e.localGet(resumeLocal_);
    e.i32Const(static_cast<int32_t>(lo));
    e.op(Op::I32Sub);
    e.i32Const(static_cast<int32_t>(hi - lo));
    e.op(Op::I32LeU);
    e.open(CodeEmitter::make(Op::If), e.freshLabel());
    Instr toss = CodeEmitter::make(Op::Throw);
    if (clause.op == Op::Catch) {
      for (uint32_t earlier = 0; earlier + 1 < arm; earlier++)
        if (code_[catches[earlier]].op == Op::Catch && code_[catches[earlier]].a == clause.a)
          unsupported("a pausable call in a handler that an earlier clause shadows", clause.offset);
      const auto& kept = pc.payloadLocals[arm];
      const std::vector<ValType> payload = tagParams(clause.a);
      for (size_t k = 0; k < payload.size(); k++) {
        if (!kept.empty()) {
          e.localGet(kept[k]);
          if (needsNonNull(payload[k])) e.op(Op::RefAsNonNull);
        } else if (!hasZero(payload[k])) {
          unsupported("a pausable call in a handler whose payload is a non-nullable reference",
                      clause.offset);
        } else {
          e.zero(payload[k]);
        }
      }
      toss.a = clause.a;
    } else if (trapsOnReentry[arm]) {
      // Only a host's exception gets here, and it cannot be thrown again.
      toss.op = Op::Unreachable;
    } else {
      toss.a = kResumeTagPlaceholder;
      usesResumeTag_ = true;
    }
    e.plain(toss);
    e.end();
  }
  e.end();
}

// The start of a handler on a rewind path: copy the payload it keeps (see emitHandlerReentry)
// so that its pauses save it, then open its sequence.
void Instrumenter::openHandler(CodeEmitter& e, uint32_t tryStart, uint32_t arm) {
  const auto& kept = path_.at(tryStart).payloadLocals[arm];
  if (!kept.empty()) {
    const Instr& clause = code_[cs_.catchesOf[tryStart][arm - 1]];
    const std::vector<ValType> payload = tagParams(clause.a);
    for (size_t k = kept.size(); k-- > 0;) e.localSet(kept[k]);
    for (size_t k = 0; k < kept.size(); k++) {
      e.localGet(kept[k]);
      if (needsNonNull(payload[k])) e.op(Op::RefAsNonNull);
    }
    activeBelow_.insert(activeBelow_.end(), kept.begin(), kept.end());
    payloadPushed_[tryStart] = kept.size();
  }
  openSequence(e, tryStart, arm);
}

// Opens a construct on a rewind path (its landing was emitted) and its first sequence.
void Instrumenter::enterPathConstruct(CodeEmitter& e, uint32_t start) {
  const PathConstruct& pc = path_.at(start);
  if (hoisted_.count(start)) emitLanding(e, Target{false, start});
  emitCopied(e, start);
  activeBelow_.insert(activeBelow_.end(), pc.belowSaved.begin(), pc.belowSaved.end());
  if (code_[start].op == Op::Try) emitHandlerReentry(e, start);
  openSequence(e, start, 0);
}

void Instrumenter::emitBody(CodeEmitter& e) {
  openSequence(e, CS::kFunction, 0);
  // The function's own `end` is emitted by the caller.
  emitRange(e, 0, static_cast<uint32_t>(code_.size()) - 1);
}

void Instrumenter::emitRange(CodeEmitter& e, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; i++) {
    const Instr& ins = code_[i];
    if (landingAt_[i] != kNone) emitLanding(e, Target{true, sites_[landingAt_[i]].index});
    if (auto c = conditionAt_.find(i); c != conditionAt_.end())
      emitLanding(e, Target{false, c->second});
    if (!normalOnly_) {
      if (hoisted_.count(i)) continue;       // opened before its prefix
      if (emittedEarly_.count(i)) continue;  // ran ahead of a state test
    }
    auto pc = path_.find(i);
    bool onPath = pc != path_.end();
    if (onPath && !pc->second.condRecomputed) emitLanding(e, Target{false, i});

    if (rematerialized(i)) {
      if (ins.op == Op::LocalTee) e.localSet(ins.a);  // keep the write, not the push
      continue;
    }
    if (i == skippedUnreachable_) continue;  // the site before it branched away
    if (siteAt_[i] != kNone) {
      Site& s = sites_[siteAt_[i]];
      Instr call = ins;
      call.op = plainCallOf(ins.op);
      e.plain(call);
      // The frame holds, besides the locals live at the sites, the spilled operands of this
      // site and of every construct on its path.
      const auto& own = siteTemps_[s.index];
      savedTemps_.insert(savedTemps_.end(), own.begin(), own.end());
      savedTemps_.insert(savedTemps_.end(), activeBelow_.begin(), activeBelow_.end());
      idCodeAt_.push_back(e.size());
      const uint32_t level = std::min(s.id / kIdsPerUnwindLevel, unwindLevels_);
      const uint32_t unwindTo = level ? unwindLevelLabels_[level - 1] : unwindLabel_;
      e.i32Const(static_cast<int32_t>(s.id - checkIdBias_ - level * kIdsPerUnwindLevel));
      const bool neverReturns = comesBackOnlyToUnwind(i);
      if (neverReturns && unwindsByBranch_) {
        e.br(unwindTo);
        skippedUnreachable_ = i + 1;
      } else {
        e.globalGet(target_.stateGlobal);
        e.brIf(unwindTo);
        // Before `unreachable` (which follows), what the br_if leaves needs no drop; a return
        // call's result must be on top for its `return`.
        if (!neverReturns) {
          idCodeAt_.push_back(e.size());
          e.op(Op::Drop);
        }
      }
      releaseTemps(siteUnsavedTemps_[s.index]);
      if (isReturnCall(ins.op)) e.op(Op::Return);
      continue;
    }
    // Leaving a handler that kept its payload: later sites need not save it.
    const bool endsArm = ins.op == Op::Catch || ins.op == Op::CatchAll || ins.op == Op::End ||
                         ins.op == Op::Delegate;
    if (endsArm && cs_.parent[i] != CS::kFunction) {
      auto kept = payloadPushed_.find(cs_.parent[i]);
      if (kept != payloadPushed_.end()) {
        activeBelow_.resize(activeBelow_.size() - kept->second);
        payloadPushed_.erase(kept);
      }
    }
    if (onPath && copiedLoops_.count(i)) {
      emitCopiedLoop(e, i);
      i = cs_.endOf[i];  // its `end` too (nothing lies below a copied loop to release)
      continue;
    }
    if (onPath && !normalOnly_) {
      enterPathConstruct(e, i);
      continue;
    }
    emitCopied(e, i);
    if ((ins.op == Op::LocalGet || ins.op == Op::LocalTee) && relaxed_.count(ins.a))
      e.op(Op::RefAsNonNull);
    if (onPath) {  // normal path only: no sequence to open, only the values below to keep
      activeBelow_.insert(activeBelow_.end(), pc->second.belowSaved.begin(),
                          pc->second.belowSaved.end());
      continue;
    }
    if (normalOnly_) {
      // no rewind dispatch in a copied loop's normal-path body
    } else if (ins.op == Op::Else && path_.count(cs_.parent[i])) {
      openSequence(e, cs_.parent[i], 1);
    } else if ((ins.op == Op::Catch || ins.op == Op::CatchAll) && path_.count(cs_.parent[i])) {
      openHandler(e, cs_.parent[i], armOf(cs_.parent[i], i + 1));
    }
    if ((ins.op == Op::End || ins.op == Op::Delegate) && cs_.parent[i] != CS::kFunction) {
      auto owner = path_.find(cs_.parent[i]);
      if (owner != path_.end()) {
        activeBelow_.resize(activeBelow_.size() - owner->second.belowSaved.size());
        releaseTemps(owner->second.belowTemps);
      }
    }
  }
}

}  // namespace asyncify::instrumenting
