// A function's frame: its layout, the rewind prologue that restores it and the unwind handler
// that saves it (through shared helpers, or inline), and the tail-call hand-over.
#include <algorithm>
#include <map>

#include "instrumenter.h"
#include "ref_parking.h"

namespace asyncify::instrumenting {

namespace {

// Frame value counts per kind are rounded up to these sizes so that few helpers serve many
// functions (not the i32 values of frames saved by multi-value calls: helper_plan.h sizes
// those for the whole module). A padding slot costs a `local.get` when saving and a `drop` when
// restoring; a helper costs little beyond what its next smaller size lacks (helpers chain, see
// tailSignature). Measured on the corpus, steps of about 1.4x beat both 2x and finer lists,
// and frames of 3 do better padded to 4 than with helpers of their own.
size_t paddedCount(size_t n) {
  static constexpr size_t kSizes[] = {2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96};
  for (size_t size : kSizes)
    if (n <= size) return size;
  return (n + 31) / 32 * 32;
}

}  // namespace

void Instrumenter::storeCurrentFromPtr(CodeEmitter& e, uint64_t plus) {
  e.globalGet(target_.dataGlobal);
  e.localGet(ptrLocal_);
  if (plus) {
    addrConst(e, plus);
    addrOp(e, Op::I32Add, Op::I64Add);
  }
  storeCurrent(e);
}

void Instrumenter::computeFrames() {
  // One frame layout per function: the union of what is live at its call sites (never more
  // than that). Separate layouts per site would save a few bytes per unwind but repeat the
  // save and restore code for every layout, and code size is what users pay for always.
  std::vector<uint32_t> all(forcedSaved_.begin(), forcedSaved_.end());
  all.insert(all.end(), liveAtSites_.begin(), liveAtSites_.end());
  all.insert(all.end(), savedTemps_.begin(), savedTemps_.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::stable_sort(all.begin(), all.end(), [&](uint32_t a, uint32_t b) {
    return frameOrderRank(frameKind(localTypes_[a])) < frameOrderRank(frameKind(localTypes_[b]));
  });
  // Statements moved ahead of a state test rely on the scratch globals, hence on helpers.
  useHelpers_ = (all.size() <= kMaxHelperValues || scratchRestore_) && !inlineFrames_;
  if (scratchRestore_ && all.size() > kMaxHelperParams)
    unsupported("too many values live across pausable calls", code_[sites_.front().index].offset);
  std::map<ValType::Kind, size_t> counts;
  for (uint32_t l : all) counts[frameKind(localTypes_[l])]++;
  size_t padded = 0;
  for (const auto& [kind, count] : counts) padded += paddedCount(count);
  const bool onlyI32 = counts.size() == counts.count(ValType::I32);
  byKind_ = useHelpers_ && target_.multiValue &&
            !(target_.recursive(self_) && padded <= kMaxWholeRecursiveFrame);
  // The i32 values that go with the id through one multi-value call are padded once every
  // function is instrumented, to sizes chosen for the whole module (see helper_plan.h).
  i32PaddedLater_ = useHelpers_ && target_.multiValue && (byKind_ || onlyI32);
  uint32_t offset = 0;
  auto place = [&](uint32_t l, bool padding) {
    layout_.push_back({l, offset});
    padding_.push_back(padding);
    const ValType::Kind kind = frameKind(localTypes_[l]);
    offset += ValType{kind}.byteSize();
    signature_.kinds.push_back(kind);
  };
  for (size_t k = 0; k < all.size(); k++) {
    place(all[k], false);
    const ValType::Kind kind = frameKind(localTypes_[all[k]]);
    const bool lastOfKind = k + 1 == all.size() || frameKind(localTypes_[all[k + 1]]) != kind;
    if (!useHelpers_ || !lastOfKind || (kind == ValType::I32 && i32PaddedLater_)) continue;
    // Round each kind's count up so that functions share helpers; the extra slots carry a
    // copy of a value that is saved anyway and are dropped on restore.
    for (size_t extra = paddedCount(counts[kind]) - counts[kind]; extra > 0; extra--)
      place(all[k], true);
  }
  frameBytes_ = offset + 4;  // + the site id
}

void Instrumenter::callHelper(CodeEmitter& e, HelperUse use) {
  e.call(kHelperPlaceholder + static_cast<uint32_t>(helpers_.size()));
  helpers_.push_back(std::move(use));
}

void Instrumenter::callPartHelper(CodeEmitter& e, HelperGroup& group, HelperUse use) {
  group.parts.push_back(static_cast<uint32_t>(helpers_.size()));
  callHelper(e, std::move(use));
}

void Instrumenter::finishGroup(HelperGroup group) {
  if (group.parts.size() > 1) helperGroups_.push_back(std::move(group));
}

// A function with one pausable call and nothing live across it needs no frame: an unwind leaves
// it without saving anything (its checks carry no site id and the unwind block yields nothing)
// and a rewind pops nothing, since that one call is the only place to resume.
void Instrumenter::dropFrame(CodeEmitter& body) {
  frameless_ = true;
  frameBytes_ = 0;
  dropSiteId(body);
}

// With one call to resume at, the frame needs no site id: the check after the call carries none
// and the unwind block yields nothing. Saving inline, the frame has no room for one; a save
// helper takes a constant in its place (helpers are shared: their signature keeps the id).
void Instrumenter::dropSiteId(CodeEmitter& body) {
  idless_ = true;
  if (!frameless_ && !useHelpers_) frameBytes_ -= 4;
  if (prologueAt_ != SIZE_MAX)
    prologueAt_ -= static_cast<size_t>(
        std::lower_bound(idCodeAt_.begin(), idCodeAt_.end(), prologueAt_) - idCodeAt_.begin());
  body.erase(idCodeAt_);
  body.setBlockType(0, BlockType{});  // the unwind block, opened first
}

// Without a site id, a frame saved through helpers still fills the id's slot of their signature:
// its last i32 value can go there instead of a constant (restored from there too), one value
// fewer to copy and pad. Only where the i32 values are padded later (the helper's i32 sizes are
// chosen after this) and not for a parked reference, which the restore unparks.
void Instrumenter::carryValueAsId() {
  if (!idless_ || !useHelpers_ || !i32PaddedLater_ || layout_.empty()) return;
  const uint32_t l = layout_.back().first;
  if (localTypes_[l].isRef() || localTypes_[l].kind != ValType::I32 || padding_.back()) return;
  idCarrier_ = l;
  layout_.pop_back();
  padding_.pop_back();
  signature_.kinds.pop_back();
  frameBytes_ -= 4;
}

// When that one call is also the last thing the function does (only `end`s, `return` or the
// `drop`s of its results follow), an unwind leaving it returns as the function would anyway:
// the call needs no state check and the function no unwind block. A function with results
// then returns the call's: zeros, as the ABI wants, only from an instrumented callee (an import
// returns what it likes while it starts an unwind). Not when the call is emitted twice (a loop
// copy) or recalled.
void Instrumenter::dropTailCheck(CodeEmitter& body) {
  if (!recalls_.empty() || unwindsByBranch_) return;
  const std::vector<size_t> checks = body.branchesTo(unwindLabel_);
  if (checks.size() != 1 || checks[0] < 2) return;
  const size_t brIf = checks[0];
  if (body.at(brIf).op != Op::BrIf || body.at(brIf - 1).op != Op::GlobalGet) return;
  const bool results = !type_.results.empty();
  const Instr& call = body.at(brIf - 2);
  if (results && (call.op != Op::Call || !pause_.instrumented(call.a))) return;
  for (size_t i = brIf + 1; i < body.size(); i++) {
    const Op op = body.at(i).op;
    if (op != Op::End && (op != Op::Drop || results) && op != Op::Return && op != Op::Nop) return;
  }
  // Only the unwind block itself (opened first) may be left open at this point.
  const size_t check[] = {brIf - 1, brIf};
  body.erase(check);
  body.dropOpener(0);
  if (prologueAt_ != SIZE_MAX && prologueAt_ > 0) prologueAt_--;
  checkless_ = true;
}

void Instrumenter::emitTailHandOver(CodeEmitter& e) {
  // The site id on top of the buffer says whose frame comes next: ours, or one left by a
  // function our tail calls reached (see tail_calls.h).
  const TailCallPlan& tails = *target_.tails;
  loadCurrent(e);
  addrConst(e, 4);
  addrOp(e, Op::I32Sub, Op::I64Sub);
  e.memoryOp(Op::I32Load, target_.memory, 2, 0);
  e.localSet(resumeLocal_);
  const uint32_t own = e.freshLabel();
  if (!sites_.empty()) e.block(own);
  auto tagIs = [&](uint32_t tag) {
    e.localGet(resumeLocal_);
    e.i32Const(TailCallPlan::kTagShift);
    e.op(Op::I32ShrU);
    e.i32Const(static_cast<int32_t>(tag));
    e.op(Op::I32Eq);
  };
  if (!sites_.empty()) {
    tagIs(tails.tag[self_]);
    e.brIf(own);
  }
  for (uint32_t target : tails.handOver[self_]) {
    tagIs(tails.tag[target]);
    e.open(CodeEmitter::make(Op::If), e.freshLabel());
    for (ValType p : m_.functionType(target).params) e.zero(p);  // ignored while rewinding
    Instr call = CodeEmitter::make(Op::ReturnCall);
    call.a = target;
    e.plain(call);
    e.end();
  }
  e.op(Op::Unreachable);
  if (!sites_.empty()) e.end();
}

void Instrumenter::storeResume(CodeEmitter& e) {
  if (bodyReadsResumeFlag_) {
    if (bodyReadsResume_) e.localTee(resumeLocal_);
    e.globalSet(*target_.rewindingGlobal);  // an id, never zero: the flag stays set
  } else {
    e.localSet(resumeLocal_);
  }
}

void Instrumenter::placePrologue(CodeEmitter& e) {
  prologueAt_ = e.size();
  prologueLabel_ = e.freshLabel();
}

void Instrumenter::emitPrologue(CodeEmitter& e) {
  const bool spliced = prologueAt_ != SIZE_MAX;  // the body holds the rest and the `end`
  const bool readsResume = bodyReadsResume_ || bodyReadsResumeFlag_;
  if (frameless_ && !spliced && !readsResume && recalls_.empty()) return;  // nothing to do
  if (target_.rewindingGlobal) {
    e.globalGet(*target_.rewindingGlobal);
  } else {
    e.globalGet(target_.stateGlobal);
    e.i32Const(2);
    e.op(Op::I32Eq);
  }
  e.open(CodeEmitter::make(Op::If), spliced ? prologueLabel_ : e.freshLabel());
  if (!target_.tails->handOver[self_].empty()) emitTailHandOver(e);
  if (sites_.empty()) {
    // Only tail calls pause here: the frame on top is never ours.
  } else if (frameless_) {
    if (readsResume && recalls_.empty()) {
      e.i32Const(static_cast<int32_t>(sites_.front().id));
      storeResume(e);
    }
  } else if (useHelpers_) {
    // Multi-value calls by kind (see HelperGroup: the i32 values and the id, on top, first) or
    // one multi-value call, or one call that leaves the values in scratch globals. Either way
    // in reverse: references go back to their tables in the opposite order of parking.
    const bool multi = target_.multiValue;
    const auto kindAt = [&](size_t k) { return signature_.kinds[k]; };
    HelperGroup group{{}, {HelperUse::Restore, signature_}};
    size_t i32s = 0;
    while (byKind_ && i32s < layout_.size() && kindAt(layout_.size() - 1 - i32s) == ValType::I32)
      i32s++;
    if (i32PaddedLater_) i32GroupCalls_.push_back(static_cast<uint32_t>(helpers_.size()));
    if (byKind_) {
      FrameSignature top{std::vector<ValType::Kind>(i32s, ValType::I32)};
      callPartHelper(e, group, {HelperUse::Restore, top});
    } else {
      callHelper(e, {multi ? HelperUse::Restore : HelperUse::Unpack, signature_});
    }
    if (readsResume)
      storeResume(e);
    else if (idCarrier_)
      restoreInto(e, *idCarrier_);
    else
      e.op(Op::Drop);
    std::vector<uint32_t> position(ValType::Bottom + 1, 0);
    std::vector<uint32_t> scratchOf(layout_.size());
    for (size_t k = 0; k < layout_.size(); k++) {
      const ValType::Kind kind = frameKind(localTypes_[layout_[k].first]);
      scratchOf[k] = kScratchPlaceholder + scratchKey(kind, position[kind]++);
    }
    for (size_t k = layout_.size(); k-- > 0;) {
      const uint32_t l = layout_[k].first;
      const size_t below = layout_.size() - i32s;  // values below the i32s: parts of their own
      if (byKind_ && k < below && (k + 1 == below || kindAt(k + 1) != kindAt(k))) {
        size_t first = k;
        while (first > 0 && kindAt(first - 1) == kindAt(k)) first--;
        FrameSignature part{std::vector<ValType::Kind>(k - first + 1, kindAt(k))};
        callPartHelper(e, group, {HelperUse::Restore, part, true});
      }
      if (padding_[k]) {
        if (multi) e.op(Op::Drop);
        continue;
      }
      if (!multi) e.globalGet(scratchOf[k]);
      if (localTypes_[l].isRef()) unpark(e, localTypes_[l]);
      restoreInto(e, l);
    }
    finishGroup(std::move(group));
  } else {
    // current = ptr = current - frame; reload each value; the id is in the last 4 bytes.
    e.globalGet(target_.dataGlobal);
    loadCurrent(e);
    addrConst(e, frameBytes_);
    addrOp(e, Op::I32Sub, Op::I64Sub);
    e.localTee(ptrLocal_);
    storeCurrent(e);
    for (size_t k = layout_.size(); k-- > 0;) {  // the reverse of saving: slots go back LIFO
      if (padding_[k]) continue;
      auto [l, off] = layout_[k];
      const ValType::Kind kind = frameKind(localTypes_[l]);
      e.localGet(ptrLocal_);
      e.memoryOp(frameLoadOp(kind), target_.memory, frameAlignLog2(kind), off);
      if (localTypes_[l].isRef()) unpark(e, localTypes_[l]);
      restoreInto(e, l);
    }
    if (readsResume) {
      e.localGet(ptrLocal_);
      e.memoryOp(Op::I32Load, target_.memory, 2, frameBytes_ - 4);
      storeResume(e);
    }
  }
  emitRecalls(e);
  if (!spliced) e.end();  // if
}

// The recalled sites' calls (see planRecalls), one per callee, picked by the id they share:
// each ends the rewind, with an unwind or a trap.
void Instrumenter::emitRecalls(CodeEmitter& e) {
  const bool othersToo = !navigatedSite_.empty();
  for (uint32_t g = 0; g < recalls_.size(); g++) {
    const uint32_t callee = recalls_[g];
    const bool tested = othersToo || g + 1 < recalls_.size();  // else the only id left
    const uint32_t id = recallIdBase_ + g;
    if (tested) {
      e.localGet(resumeLocal_);
      if (id > 0) {
        e.i32Const(static_cast<int32_t>(id));
        e.op(Op::I32Eq);
      } else {
        e.op(Op::I32Eqz);
      }
      e.open(CodeEmitter::make(Op::If), e.freshLabel());
    }
    // The arguments are ignored: zeros, from a helper shared by every caller when there are any.
    if (m_.functionType(callee).params.empty()) {
      e.call(callee);
      for (size_t k = m_.functionType(callee).results.size(); k-- > 0;) e.op(Op::Drop);
    } else {
      e.call(kRecallPlaceholder + callee);
      recallHelpers_.push_back(callee);
    }
    // The unwind block takes the id, less the checks' bias: the branch goes to the outermost
    // block, past the levels that add 128 (see planSites), so any id comes out whole.
    if (!frameless_) e.i32Const(static_cast<int32_t>(id) - static_cast<int32_t>(checkIdBias_));
    if (unwindsByBranch_) {
      e.br(unwindLabel_);
    } else {
      e.globalGet(target_.stateGlobal);
      e.brIf(unwindLabel_);
      e.op(Op::Unreachable);
    }
    if (tested) e.end();
  }
}

// The placeholder naming the park function for `t` (unpark is the next one).
uint32_t Instrumenter::parkingPlaceholder(ValType t) {
  t.nullable = true;
  auto it = std::find(parked_.begin(), parked_.end(), t);
  if (it == parked_.end()) it = parked_.insert(it, t);
  return kParkPlaceholder + 2 * static_cast<uint32_t>(it - parked_.begin());
}

void Instrumenter::park(CodeEmitter& e, ValType t) {
  e.call(parkingPlaceholder(t));
}

void Instrumenter::unpark(CodeEmitter& e, ValType t) {
  e.call(parkingPlaceholder(t) + 1);
  if (!t.nullable) e.op(Op::RefAsNonNull);
}

void Instrumenter::emitUnwindHandler(CodeEmitter& e) {
  // Saved through helpers, the frame traps when the state is normal before anything is written
  // (see InstrumentTarget::saveTrapsWhenNormal); not where parking a reference comes first.
  saveTrapsWhenNormal_ = unwindsByBranch_ && useHelpers_ && !frameless_ &&
                         std::none_of(layout_.begin(), layout_.end(), [&](const auto& slot) {
                           return localTypes_[slot.first].isRef();
                         });
  if (unwindsByBranch_ && !saveTrapsWhenNormal_) {
    // A call that never returns normally did: trap, as its `unreachable` would have.
    BufferCode{e, target_}.trapWhenNormal();
  }
  if (frameless_) {
    for (ValType r : type_.results) unwindingResult(e, r);
    return;
  }
  // On the stack: the id of the site that is unwinding (the save helper takes it from there),
  // less the checks' bias.
  if (checkIdBias_ && !idless_) {
    e.i32Const(static_cast<int32_t>(checkIdBias_));
    e.op(Op::I32Add);
  }
  if (idCarrier_)
    e.localGet(*idCarrier_);
  else if (idless_ && useHelpers_)
    e.i32Const(static_cast<int32_t>(sites_.front().id));
  if (!useHelpers_ && !idless_) e.localSet(resumeLocal_);
  // A padding slot that copies a reference holds no parked value (it is dropped on restore).
  auto pushSaved = [&](size_t k) {
    const uint32_t l = layout_[k].first;
    if (!localTypes_[l].isRef()) {
      e.localGet(l);
    } else if (padding_[k]) {
      e.i32Const(-1);
    } else {
      e.localGet(l);
      park(e, localTypes_[l]);
    }
  };
  if (useHelpers_ && !byKind_) {
    for (size_t k = 0; k < layout_.size(); k++) pushSaved(k);
    if (i32PaddedLater_) i32GroupCalls_.push_back(static_cast<uint32_t>(helpers_.size()));
    callHelper(e, {HelperUse::Save, signature_});
  } else if (useHelpers_) {
    // By kind (see HelperGroup): each kind below the i32 values, then those with the id.
    HelperGroup group{{}, {HelperUse::Save, signature_}};
    FrameSignature part;
    for (size_t k = 0; k < layout_.size(); k++) {
      pushSaved(k);
      const ValType::Kind kind = signature_.kinds[k];
      part.kinds.push_back(kind);
      if (kind == ValType::I32 || (k + 1 < layout_.size() && signature_.kinds[k + 1] == kind))
        continue;
      callPartHelper(e, group, {HelperUse::Save, std::move(part), true});
      part = {};
    }
    i32GroupCalls_.push_back(static_cast<uint32_t>(helpers_.size()));
    callPartHelper(e, group, {HelperUse::Save, std::move(part)});
    finishGroup(std::move(group));
  } else {
    if (target_.boundsCheck) {
      // end - (ptr = current) < bytes: the frame does not fit; trap before writing anything.
      loadEnd(e);
      loadCurrent(e);
      e.localTee(ptrLocal_);
      addrOp(e, Op::I32Sub, Op::I64Sub);
      addrConst(e, frameBytes_);
      addrOp(e, Op::I32LtU, Op::I64LtU);
      e.open(CodeEmitter::make(Op::If), e.freshLabel());
      e.op(Op::Unreachable);
      e.end();
    } else {
      loadCurrent(e);
      e.localSet(ptrLocal_);
    }
    for (size_t k = 0; k < layout_.size(); k++) {
      auto [l, off] = layout_[k];
      const ValType::Kind kind = frameKind(localTypes_[l]);
      e.localGet(ptrLocal_);
      pushSaved(k);
      e.memoryOp(frameStoreOp(kind), target_.memory, frameAlignLog2(kind), off);
    }
    if (!idless_) {
      e.localGet(ptrLocal_);
      e.localGet(resumeLocal_);
      e.memoryOp(Op::I32Store, target_.memory, 2, frameBytes_ - 4);
    }
    storeCurrentFromPtr(e, frameBytes_);
  }
  // The handler ends the function: falling off its end returns these.
  for (ValType r : type_.results) unwindingResult(e, r);
}

// What an unwinding function returns: the caller drops it. A non-nullable reference has no
// zero; its stand-in makes a value of the type. A type without values has none: unwinding
// traps there (the function never returned normally either; see valuelessResults).
void Instrumenter::unwindingResult(CodeEmitter& e, ValType r) {
  if (auto s = standIn(r)) {
    if (s->kind == StandIn::Global)
      e.globalGet(s->index);
    else
      e.call(s->index);
    return;
  }
  if (!hasZero(r)) {
    e.op(Op::Unreachable);
    return;
  }
  e.zero(r);
}

std::optional<StandIn> Instrumenter::standIn(ValType r) const {
  if (hasZero(r) || !target_.standIns) return std::nullopt;
  return target_.standIns->planned(r);
}

}  // namespace asyncify::instrumenting
