// Instrumenting one function for unwinding and rewinding, without flattening it.
//
// The body keeps its structure. Only three things are added:
//  1. After each pausable call: `i32.const id; global.get $state; br_if $unwind; drop` — the
//     whole normal-path cost of a call site. `$unwind` is a block around the body whose end is
//     followed by cold code that saves the frame of call site `id` and returns zero values.
//  2. A rewind prologue: when the state is "rewinding", pop this function's frame (one helper
//     call: multi-value where the module allows it, else through scratch globals; inline for
//     small frames of recursive functions), remember the site id in `$resume`, and jump to it.
//  3. The jump: structured code cannot branch into a block, so each sequence on the path to a
//     call site gets "skip blocks": `block $skip_j` opens at the start of the sequence and ends
//     right where target j (a call site or a nested construct containing one) begins. A dispatch
//     at the start of the sequence, taken only while rewinding, branches to the right skip
//     block's end, so rewinding reaches the site directly without re-running earlier code. An
//     `if` on the path gets its condition from a local that the dispatch sets to pick the arm
//     holding the site; a legacy `try` whose handler holds the site is re-entered by throwing
//     the caught tag again from the start of its body. The function-level dispatch sits inside
//     the prologue; a lone plain block opens before its prefix so its sequence needs no test;
//     at the top of a loop body, statements that only compute locals run ahead of the test;
//     small loops get a separate rewind copy of their body, so the loop itself has no test.
// Operand-stack values below a target are spilled to locals just before it and reloaded just
// after its skip block ends (only at call sites and at constructs on a path), so that frames can
// be saved from locals. Arguments of a call to an instrumented function are recomputed on
// rewind when they come from side-effect-free code (the callee ignores them while rewinding);
// otherwise they are spilled too. Arguments of calls that may reach imports are saved, since the
// import is called again with them. References are saved as slots of private tables
// (ref_parking.h); tail calls between instrumented functions stay tail calls (tail_calls.h).
// Liveness is computed per call site; the frame is their union (one layout per function).
// Frame layout: saved values (16-, 8-, then 4-byte ones), then the site id in the last 4 bytes.
#include "function_instrumenter.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "asyncify/analysis/control_structure.h"
#include "asyncify/analysis/liveness.h"
#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"
#include "asyncify/validate/validator.h"
#include "code_emitter.h"
#include "frame_helpers.h"
#include "ref_parking.h"

namespace asyncify {
namespace {

using CS = ControlStructure;
constexpr uint32_t kNone = UINT32_MAX;
// `global.get` of kFrameLocalPlaceholder + L reads the scratch global holding local L's saved
// value; resolved once the frame layout is known.
constexpr uint32_t kFrameLocalPlaceholder = 0xC0000000u;
// Frames restored through scratch globals use helpers, whose parameters engines cap at 1000.
constexpr size_t kMaxScratchAssumed = 200;
constexpr size_t kMaxHelperParams = 999;
// Recursive functions that keep at most this many locals save and restore them inline (see
// InstrumentTarget::inlineFrames): a helper call then costs as much as the values themselves,
// and the inline code is still short.
constexpr size_t kMaxInlineFrameValues = 4;

class StackRecorder final : public StackObserver {
 public:
  explicit StackRecorder(size_t n)
      : height(n, 0), frameBase(n, 0), unreachable(n, 0), wantTypes(n, 0) {}
  void beforeInstr(size_t i, const Instr&, std::span<const ValType> stack, size_t base,
                   bool unr) override {
    height[i] = static_cast<uint32_t>(stack.size());
    frameBase[i] = static_cast<uint32_t>(base);
    unreachable[i] = unr;
    if (wantTypes[i]) types[i].assign(stack.begin(), stack.end());
  }
  std::vector<uint32_t> height, frameBase;
  std::vector<uint8_t> unreachable, wantTypes;
  std::unordered_map<size_t, std::vector<ValType>> types;
};

bool isCallOp(Op op) {
  switch (op) {
    case Op::Call:
    case Op::ReturnCall:
    case Op::CallIndirect:
    case Op::ReturnCallIndirect:
    case Op::CallRef:
    case Op::ReturnCallRef:
      return true;
    default:
      return false;
  }
}

bool isReturnCall(Op op) {
  return op == Op::ReturnCall || op == Op::ReturnCallIndirect || op == Op::ReturnCallRef;
}

Op plainCallOf(Op op) {
  if (op == Op::ReturnCall) return Op::Call;
  if (op == Op::ReturnCallIndirect) return Op::CallIndirect;
  if (op == Op::ReturnCallRef) return Op::CallRef;
  return op;
}

// Code that may run again on rewind to rebuild a call's arguments: no side effects, no control
// flow, and no trap it could not have taken the first time. Loads qualify when their address is
// rebuilt from restored locals: memory never shrinks, so a load that did not trap before cannot
// trap now (its value may differ, which is fine for arguments the rewinding callee ignores).
struct Recomputable {
  unsigned operands = 0;  // how many it consumes
  bool load = false;
};

std::optional<Recomputable> recomputable(Op op) {
  switch (op) {
    case Op::LocalGet:
    case Op::GlobalGet:
    case Op::I32Const:
    case Op::I64Const:
    case Op::F32Const:
    case Op::F64Const:
    case Op::RefNull:
    case Op::RefFunc:
    case Op::Nop:
      return Recomputable{0, false};
    case Op::I32Eqz:
    case Op::I64Eqz:
    case Op::I32WrapI64:
    case Op::I64ExtendI32S:
    case Op::I64ExtendI32U:
      return Recomputable{1, false};
    case Op::I32Add:
    case Op::I32Sub:
    case Op::I32Mul:
    case Op::I32And:
    case Op::I32Or:
    case Op::I32Xor:
    case Op::I32Shl:
    case Op::I32ShrS:
    case Op::I32ShrU:
    case Op::I32Eq:
    case Op::I32Ne:
    case Op::I32LtS:
    case Op::I32LtU:
    case Op::I32GtS:
    case Op::I32GtU:
    case Op::I32LeS:
    case Op::I32LeU:
    case Op::I32GeS:
    case Op::I32GeU:
    case Op::I64Add:
    case Op::I64Sub:
    case Op::I64Mul:
    case Op::I64And:
    case Op::I64Or:
    case Op::I64Xor:
    case Op::I64Shl:
    case Op::I64ShrS:
    case Op::I64ShrU:
      return Recomputable{2, false};
    case Op::I32Load:
    case Op::I64Load:
    case Op::F32Load:
    case Op::F64Load:
    case Op::I32Load8S:
    case Op::I32Load8U:
    case Op::I32Load16S:
    case Op::I32Load16U:
    case Op::I64Load8S:
    case Op::I64Load8U:
    case Op::I64Load16S:
    case Op::I64Load16U:
    case Op::I64Load32S:
    case Op::I64Load32U:
      return Recomputable{1, true};
    default:
      return std::nullopt;
  }
}

// Code that may run again on rewind before the state test that skips it: no effect but writes
// to locals, and no trap whatever the locals hold. Moving such leading statements of a sequence
// ahead of its test keeps the test off the top of loop bodies, where V8 was measured to pay
// for it most (an interpreter loop: +45% becomes about +10%).
bool reexecutable(Op op) {
  if (op == Op::LocalSet || op == Op::LocalTee || op == Op::Drop || op == Op::Select) return true;
  auto r = recomputable(op);
  return r && !r->load;
}

// How many operands an instruction pops, when that is known without context; nullopt for
// control flow and anything else the rematerialization scan does not look through.
std::optional<unsigned> operandsConsumed(const Module& m, const Instr& ins) {
  const std::string_view sig = ins.info().signature;
  if (sig != "*") {
    size_t colon = sig.find(':');
    return colon == std::string_view::npos ? std::nullopt : std::optional<unsigned>(colon);
  }
  switch (ins.op) {
    case Op::LocalGet:
    case Op::GlobalGet:
    case Op::RefNull:
    case Op::RefFunc:
    case Op::Nop:
      return 0;
    case Op::LocalSet:
    case Op::LocalTee:
    case Op::GlobalSet:
    case Op::Drop:
      return 1;
    case Op::Select:
      return 3;
    case Op::Call:
      return static_cast<unsigned>(m.functionType(ins.a).params.size());
    case Op::CallIndirect:
      return static_cast<unsigned>(m.funcType(ins.a).params.size()) + 1;
    default:
      return std::nullopt;
  }
}

// References are parked in tables while unwound; the frame holds their i32 slot.
ValType::Kind frameKind(ValType t) {
  return t.isRef() ? ValType::I32 : t.kind;
}

// Frame value counts per kind are rounded up to these sizes so that few helpers serve many
// functions. A padding slot costs one `local.get` when saving and nothing when restoring, so
// coarse sizes pay: measured on the corpus, these beat finer lists on size (fewer helpers).
size_t paddedCount(size_t n) {
  static constexpr size_t kSizes[] = {2, 3, 6, 12, 24, 48, 96};
  for (size_t size : kSizes)
    if (n <= size) return size;
  return (n + 31) / 32 * 32;
}

struct Site {
  uint32_t index = 0;           // the call instruction
  uint32_t id = 0;              // resume id, from 1
  uint32_t landing = 0;         // where its skip block ends and operands are spilled
  uint32_t argCount = 0;        // operands the call consumes
  bool spillArgs = true;        // false: arguments are recomputed by pure code after the landing
  bool saveArgs = true;         // spilled arguments go into the frame
  std::vector<uint32_t> saved;  // locals saved in its frame, sorted
};

struct PathConstruct {
  uint32_t lo = kNone, hi = 0;       // resume ids inside
  uint32_t hiThen = 0;               // last id in the then-arm (if), lo - 1 when none
  uint32_t condLocal = kNone;        // for if: the arm selector
  std::vector<uint32_t> belowTemps;  // temps holding values below it (released at its end)
  std::vector<uint32_t> belowSaved;  // what its inner sites must save to rebuild those values
  bool condRematerialized = false;   // the condition is reloaded from a local, not a selector
  // Legacy try: resume ids per arm (0 the body, k the k-th handler; lo > hi when none), and the
  // locals that keep a handler's payload when the handler rethrows after a pause.
  std::vector<std::pair<uint32_t, uint32_t>> armIds;
  std::vector<std::vector<uint32_t>> payloadLocals;
};

// A stack value below a target that is not spilled: its producer `local.get/tee L` is dropped
// and `local.get L` is emitted where the value is needed (L is unchanged until then and saved
// in the frames of the sites that need it).
struct Remat {
  uint32_t producer = 0;
  uint32_t local = 0;
  uint32_t lastClaimer = 0;  // the target (instruction index) that reloads it
};

struct Target {
  bool isSite = false;
  uint32_t index = 0;  // site's call instruction or construct start
};

class Instrumenter {
 public:
  Instrumenter(const Module& m, const CallGraph& g, const Pausability& p, const InstrumentTarget& t,
               uint32_t definedIndex)
      : m_(m),
        graph_(g),
        pause_(p),
        target_(t),
        self_(m.numImportedFunctions() + definedIndex),
        fn_(m.functions[definedIndex]),
        type_(m.funcType(fn_.typeIndex)),
        typedRefs_(m.features.has(Feature::FunctionReferences) || m.features.has(Feature::Gc)) {}

  FunctionInstrumentation run();

 private:
  [[noreturn]] void unsupported(const std::string& what, uint64_t offset) const {
    throw Error(fmt::format("cannot instrument function {}: {}", pause_.names[self_], what),
                offset);
  }
  bool callMayPause(const Instr& ins) const;
  ValType storageType(ValType t) const {
    if (!t.isRef()) return t;
    t.nullable = true;
    if (!typedRefs_ && t.heap.isIndex()) t.heap = HeapType{HeapType::Func};
    return t;
  }
  // Whether a value of type `t` read from a (nullable) storage local needs ref.as_non_null.
  bool needsNonNull(ValType t) const { return typedRefs_ && t.isRef() && !t.nullable; }
  uint32_t argCountOf(const Instr& ins) const;
  void findSites();
  uint32_t armOf(uint32_t parent, uint32_t index) const;
  void planSites();
  void planRematerialization();
  void computeFrames();
  // New locals are always defaultable: a non-nullable reference set inside a rewind-only block
  // would count as unset after it. Reads add ref.as_non_null where the type demands it.
  // Modules without typed function references store references under their abstract type
  // (a ref.func typed `(ref $t)` by the validator is still only ever consumed as funcref).
  uint32_t addLocal(ValType t) {
    t = storageType(t);
    localTypes_.push_back(t);
    return static_cast<uint32_t>(localTypes_.size() - 1);
  }
  uint32_t takeTemp(ValType t);
  uint32_t landingTemp(uint32_t target, size_t position, ValType t);
  uint32_t tempPoolKey(ValType t);
  uint32_t parkingPlaceholder(ValType t);
  void park(CodeEmitter& e, ValType t);
  void unpark(CodeEmitter& e, ValType t);
  void releaseTemps(const std::vector<uint32_t>& temps);
  void planLoopCopies();
  void emitBody(CodeEmitter& e);
  void emitRange(CodeEmitter& e, uint32_t from, uint32_t to);
  void openLoopCopy(CodeEmitter& e, uint32_t loop);
  void emitCopiedLoop(CodeEmitter& e, uint32_t loop);
  void openSequence(CodeEmitter& e, uint32_t construct, uint32_t arm);
  std::vector<ValType> armParams(uint32_t construct, uint32_t arm) const;
  std::vector<ValType> tagParams(uint32_t tag) const;
  void openHandler(CodeEmitter& e, uint32_t tryStart, uint32_t arm);
  uint32_t leadingGuards(uint32_t from, uint32_t to, uint32_t limit, bool keepInFrame = true);
  uint32_t sequenceStartOf(uint32_t construct, uint32_t arm) const;
  bool sequenceTested(uint32_t construct, uint32_t arm);
  void emitDispatch(CodeEmitter& e, const std::vector<Target>& targets,
                    const std::vector<uint32_t>& skip);
  uint32_t openRewindOnlySequence(CodeEmitter& e, uint32_t construct);
  void enterPathConstruct(CodeEmitter& e, uint32_t start);
  void emitHandlerReentry(CodeEmitter& e, uint32_t tryStart);
  void emitLanding(CodeEmitter& e, const Target& t);
  void emitCopied(CodeEmitter& e, size_t i);
  void callHelper(CodeEmitter& e, HelperUse use);
  void emitPrologue(CodeEmitter& e);
  // Pops a restored value into local `l` (and into its shadow, if it has one).
  void restoreInto(CodeEmitter& e, uint32_t l) {
    auto shadow = shadowOf_.find(l);
    if (shadow == shadowOf_.end()) return e.localSet(l);
    e.localTee(l);
    e.localSet(shadow->second);
  }
  void emitTailHandOver(CodeEmitter& e);
  FunctionInstrumentation finishOutput(const CodeEmitter& whole);
  void emitUnwindHandler(CodeEmitter& e);
  // Address arithmetic in the memory's address type.
  void addrConst(CodeEmitter& e, uint64_t v) {
    if (target_.memory64)
      e.i64Const(static_cast<int64_t>(v));
    else
      e.i32Const(static_cast<int32_t>(v));
  }
  void addrOp(CodeEmitter& e, Op op32, Op op64) { e.op(target_.memory64 ? op64 : op32); }
  void loadCurrent(CodeEmitter& e) {
    e.globalGet(target_.dataGlobal);
    e.memoryOp(target_.memory64 ? Op::I64Load : Op::I32Load, target_.memory,
               target_.memory64 ? 3 : 2, 0);
  }
  void loadEnd(CodeEmitter& e) {
    e.globalGet(target_.dataGlobal);
    e.memoryOp(target_.memory64 ? Op::I64Load : Op::I32Load, target_.memory,
               target_.memory64 ? 3 : 2, target_.memory64 ? 8 : 4);
  }
  void storeCurrentFromPtr(CodeEmitter& e, uint64_t plus);

  const Module& m_;
  const CallGraph& graph_;
  const Pausability& pause_;
  const InstrumentTarget& target_;
  const uint32_t self_;
  const Function& fn_;
  const FuncType& type_;
  const bool typedRefs_;

  CodePools pools_;
  std::vector<Instr> code_;
  std::vector<ValType> localTypes_;  // params, declared, then new
  uint32_t numOriginalLocals_ = 0;
  ControlStructure cs_;
  std::unique_ptr<StackRecorder> stacks_;

  std::vector<Site> sites_;
  std::vector<uint32_t> siteAt_;            // per instruction: index into sites_, or kNone
  std::vector<uint32_t> landingAt_;         // per instruction: site whose landing is here
  std::map<uint32_t, PathConstruct> path_;  // by construct start
  std::map<std::pair<uint32_t, uint32_t>, std::vector<Target>> sequences_;
  std::map<uint32_t, std::vector<uint32_t>> siteTemps_;  // site -> temps of its own spill
  std::map<uint32_t, std::vector<uint32_t>> siteUnsavedTemps_;

  std::map<std::pair<uint8_t, uint32_t>, std::vector<uint32_t>> freeTemps_;  // by type
  std::vector<ValType> tempRefTypes_;         // reference types of temps, for their pool keys
  std::vector<ValType> parked_;               // nullable reference types parked while unwound
  std::map<uint32_t, size_t> payloadPushed_;  // try start -> payload locals kept by its handler
  bool usesResumeTag_ = false;
  std::map<uint32_t, uint32_t> hoisted_;         // block opened before its prefix -> prefix start
  std::set<uint32_t> emittedEarly_;              // statements moved ahead of their sequence's test
  std::vector<bool> inFrame_;                    // original locals a site may need restored
  std::vector<std::vector<uint32_t>> writesOf_;  // per local: instructions writing it, in order
  std::set<uint32_t> forcedSaved_;               // put back after re-running: always in the frame
  bool scratchRestore_ = false;                  // frames are restored through scratch globals
  bool inlineFrames_ = false;                    // frames are saved and restored without helpers
  std::map<uint32_t, uint32_t> shadowOf_;        // local -> its copy as restored (see openSequence)
  size_t prologueAt_ = SIZE_MAX;  // where the body takes the rewind prologue, if inside it
  uint32_t prologueLabel_ = 0;
  std::set<uint32_t> relaxed_;         // declared non-nullable locals made nullable
  std::vector<uint32_t> activeBelow_;  // temps of enclosing path constructs, while emitting
  std::vector<std::vector<uint32_t>> liveAtSite_;  // original locals live at each landing

  uint32_t resumeLocal_ = 0, ptrLocal_ = 0;
  uint32_t unwindLabel_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> layout_;  // saved (local, offset)
  std::vector<bool> padding_;  // layout entries that only round the signature up
  FrameSignature signature_;
  uint32_t frameBytes_ = 4;
  bool useHelpers_ = true;
  std::vector<HelperUse> helpers_;    // helper calls emitted, by placeholder slot
  std::vector<FuncType> blockTypes_;  // block types to intern, by placeholder slot
  std::set<uint32_t> withoutSkip_;    // targets reached without a skip block
  std::map<uint32_t, Remat> remat_;   // by producer instruction
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> rematSlot_;  // (target, slot) -> producer
  // Small loops on a rewind path are emitted twice (see emitCopiedLoop): loop start -> the
  // label of the block after both copies, kNone until that block is open.
  std::map<uint32_t, uint32_t> copiedLoops_;
  bool normalOnly_ = false;  // emitting a copied loop's normal-path body
  std::map<uint32_t, std::vector<uint32_t>> landingTemps_;  // target -> temps, for the 2nd copy
};

bool Instrumenter::callMayPause(const Instr& ins) const {
  switch (ins.op) {
    case Op::Call:
    case Op::ReturnCall:
      return pause_.callPauses(ins.a);
    default:
      return pause_.indirectPauses(graph_.canonicalType[ins.a], self_);
  }
}

uint32_t Instrumenter::argCountOf(const Instr& ins) const {
  if (ins.op == Op::Call || ins.op == Op::ReturnCall)
    return static_cast<uint32_t>(m_.functionType(ins.a).params.size());
  return static_cast<uint32_t>(m_.funcType(ins.a).params.size()) + 1;  // + table index / ref
}

void Instrumenter::findSites() {
  const size_t n = code_.size();
  siteAt_.assign(n, kNone);
  landingAt_.assign(n, kNone);
  std::vector<uint32_t> candidates;
  for (size_t i = 0; i < n; i++) {
    const Instr& ins = code_[i];
    if (!isCallOp(ins.op) || !callMayPause(ins)) continue;
    if (isReturnCall(ins.op) && target_.tails->keeps(ins)) continue;  // leaves no frame here
    candidates.push_back(static_cast<uint32_t>(i));
  }

  stacks_ = std::make_unique<StackRecorder>(n);
  for (uint32_t i : candidates) {
    stacks_->wantTypes[i] = 1;
    for (uint32_t c = cs_.parent[i]; c != CS::kFunction; c = cs_.parent[c]) {
      if (stacks_->wantTypes[c]) break;
      stacks_->wantTypes[c] = 1;
    }
  }
  validateCode(m_, type_, std::span<const ValType>(localTypes_).subspan(type_.params.size()), code_,
               pools_, stacks_.get());

  for (uint32_t i : candidates) {
    // A call in dead code, or inside a construct entered only from dead code, never runs.
    bool dead = stacks_->unreachable[i];
    for (uint32_t c = cs_.parent[i]; c != CS::kFunction && !dead; c = cs_.parent[c])
      dead = stacks_->unreachable[c];
    if (dead) continue;
    Site s;
    s.index = i;
    s.argCount = argCountOf(code_[i]);
    siteAt_[i] = static_cast<uint32_t>(sites_.size());
    sites_.push_back(s);
  }
}

uint32_t Instrumenter::armOf(uint32_t parent, uint32_t index) const {
  if (parent == CS::kFunction) return 0;
  if (code_[parent].op == Op::If)
    return cs_.elseOf[parent] != kNone && index > cs_.elseOf[parent] ? 1 : 0;
  if (code_[parent].op != Op::Try) return 0;
  const auto& catches = cs_.catchesOf[parent];
  uint32_t arm = 0;
  while (arm < catches.size() && index > catches[arm]) arm++;
  return arm;
}

void Instrumenter::planSites() {
  // Functions in tail calls tag their ids so that a rewind can tell whose frame is on top.
  const uint32_t tag = target_.tails->tag[self_];
  if (tag && sites_.size() >= (1u << TailCallPlan::kTagShift))
    unsupported("too many pausable calls in a function that takes part in tail calls", 0);
  uint32_t nextId = (tag << TailCallPlan::kTagShift) + 1;
  for (auto& s : sites_) {
    s.id = nextId++;
    const Instr& call = code_[s.index];
    // Calls that may reach an import (or foreign code) are re-made with the same arguments.
    bool callee = call.op == Op::Call || call.op == Op::ReturnCall;
    bool internal = callee && pause_.instrumented(call.a);
    s.landing = s.index;
    s.spillArgs = true;
    s.saveArgs = !internal;
    if (internal) {
      const uint32_t need = stacks_->height[s.index] - s.argCount;
      // Walk back over side-effect-free code that never touches values below the arguments.
      uint32_t j = s.index;
      bool ok = true, loads = false, globals = false;
      while (ok && stacks_->height[j] > need) {
        if (j == 0) {
          ok = false;
          break;
        }
        j--;
        const Op op = code_[j].op;
        const auto r = recomputable(op);
        loads |= r && r->load;
        globals |= op == Op::GlobalGet;
        ok = r && cs_.parent[j] == cs_.parent[s.index] && !stacks_->unreachable[j] &&
             stacks_->height[j] >= need + r->operands;
      }
      // A global may have changed while paused: with it, a rebuilt address could trap.
      if (loads && globals) ok = false;
      if (ok && stacks_->height[j] == need) {
        s.landing = j;
        s.spillArgs = false;
      }
    }
    landingAt_[s.landing] = static_cast<uint32_t>(&s - sites_.data());

    // Record the path.
    uint32_t child = s.index;
    for (uint32_t c = cs_.parent[s.index]; c != CS::kFunction; child = c, c = cs_.parent[c]) {
      const Instr& ins = code_[c];
      auto& pc = path_[c];
      if (ins.op == Op::Try) {
        pc.armIds.resize(cs_.catchesOf[c].size() + 1, {kNone, 0});
        pc.payloadLocals.resize(pc.armIds.size());
        auto& [lo, hi] = pc.armIds[armOf(c, child)];
        lo = std::min(lo, s.id);
        hi = std::max(hi, s.id);
      }
      pc.lo = std::min(pc.lo, s.id);
      pc.hi = std::max(pc.hi, s.id);
      bool inThen = ins.op == Op::If && (cs_.elseOf[c] == kNone || child < cs_.elseOf[c]);
      if (inThen) pc.hiThen = std::max(pc.hiThen, s.id);
    }
  }
  // Sequences and their targets, in code order.
  std::vector<Target> all;
  for (auto& [c, pc] : path_) {
    if (pc.hiThen == 0) pc.hiThen = pc.lo - 1;
    all.push_back({false, c});
  }
  for (auto& s : sites_) all.push_back({true, s.index});
  std::sort(all.begin(), all.end(),
            [](const Target& a, const Target& b) { return a.index < b.index; });
  for (const auto& t : all) {
    uint32_t parent = cs_.parent[t.index];
    sequences_[{parent, armOf(parent, t.index)}].push_back(t);
  }
}

uint32_t Instrumenter::tempPoolKey(ValType t) {
  if (!t.isRef()) return 0;
  t = storageType(t);
  auto it = std::find(tempRefTypes_.begin(), tempRefTypes_.end(), t);
  if (it == tempRefTypes_.end()) it = tempRefTypes_.insert(it, t);
  return static_cast<uint32_t>(it - tempRefTypes_.begin()) + 1;
}

uint32_t Instrumenter::takeTemp(ValType t) {
  auto& pool = freeTemps_[{static_cast<uint8_t>(t.kind), tempPoolKey(t)}];
  if (!pool.empty()) {
    uint32_t l = pool.back();
    pool.pop_back();
    return l;
  }
  return addLocal(t);
}

// A landing emitted twice (in both copies of a loop) must spill into the same locals: frames
// saved by one copy are restored into the other. The second emission takes the same temps
// again; they are free then, since each copy releases what it takes before it ends.
uint32_t Instrumenter::landingTemp(uint32_t target, size_t position, ValType t) {
  auto& taken = landingTemps_[target];
  if (!normalOnly_ || position >= taken.size()) {
    const uint32_t l = takeTemp(t);
    if (position >= taken.size()) taken.resize(position + 1, kNone);
    taken[position] = l;
    return l;
  }
  const uint32_t l = taken[position];
  auto& pool = freeTemps_[{static_cast<uint8_t>(t.kind), tempPoolKey(t)}];
  auto it = std::find(pool.begin(), pool.end(), l);
  if (it == pool.end()) throw Error("internal error: a loop copy's spill local is in use");
  pool.erase(it);
  return l;
}

void Instrumenter::releaseTemps(const std::vector<uint32_t>& temps) {
  for (uint32_t l : temps)
    freeTemps_[{static_cast<uint8_t>(localTypes_[l].kind), tempPoolKey(localTypes_[l])}].push_back(
        l);
}

void Instrumenter::planRematerialization() {
  std::vector<std::vector<uint32_t>> writes(localTypes_.size());
  for (uint32_t i = 0; i < code_.size(); i++)
    if (code_[i].op == Op::LocalSet || code_[i].op == Op::LocalTee) writes[code_[i].a].push_back(i);
  auto writtenIn = [&](uint32_t local, uint32_t from, uint32_t to) {  // (from, to]
    const auto& w = writes[local];
    auto it = std::upper_bound(w.begin(), w.end(), from);
    return it != w.end() && *it <= to;
  };
  std::vector<Target> targets;
  for (const auto& [c, pc] : path_) targets.push_back({false, c});
  for (const auto& site : sites_) targets.push_back({true, site.index});
  std::sort(targets.begin(), targets.end(),
            [](const Target& a, const Target& b) { return a.index < b.index; });
  for (const auto& t : targets) {
    const uint32_t at = t.isSite ? sites_[siteAt_[t.index]].landing : t.index;
    const uint32_t base = stacks_->frameBase[t.index];
    const uint32_t end = t.isSite ? t.index : cs_.endOf[t.index];
    uint32_t low = stacks_->height[at];  // slots below this are untouched after the scan point
    for (uint32_t u = at; u-- > 0 && low > base;) {
      const Instr& ins = code_[u];
      if (cs_.parent[u] != cs_.parent[t.index] || stacks_->unreachable[u]) break;
      auto consumed = operandsConsumed(m_, ins);
      if (!consumed) break;
      const uint32_t slot = stacks_->height[u + 1] - 1;  // where its result (if any) sits
      if ((ins.op == Op::LocalGet || ins.op == Op::LocalTee) && slot < low && slot >= base &&
          !writtenIn(ins.a, u, end)) {
        auto [it, fresh] = remat_.emplace(u, Remat{u, ins.a, t.index});
        if (fresh || !writtenIn(ins.a, it->second.lastClaimer, end)) {
          it->second.lastClaimer = t.index;
          rematSlot_[{t.index, slot}] = u;
        }
      }
      low = std::min<uint32_t>(low, stacks_->height[u] - *consumed);
    }
  }
}

std::vector<ValType> Instrumenter::armParams(uint32_t construct, uint32_t arm) const {
  if (construct == CS::kFunction) return {};
  const Instr& owner = code_[construct];
  if (owner.op == Op::Try && arm > 0) {
    const Instr& clause = code_[cs_.catchesOf[construct][arm - 1]];
    return clause.op == Op::Catch ? tagParams(clause.a) : std::vector<ValType>{};
  }
  if (owner.block.kind != BlockType::Index) return {};
  return m_.funcType(owner.block.index).params;
}

std::vector<ValType> Instrumenter::tagParams(uint32_t tag) const {
  uint32_t typeIndex = 0;
  if (tag < m_.numImportedTags()) {
    uint32_t k = 0;
    for (const auto& imp : m_.imports)
      if (imp.kind == ExternKind::Tag && k++ == tag) typeIndex = imp.typeIndex;
  } else {
    typeIndex = m_.tags[tag - m_.numImportedTags()].typeIndex;
  }
  return m_.funcType(typeIndex).params;
}

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
    if (ins.op == Op::LocalGet) {
      if (localTypes_[ins.a].isRef() || remat_.count(j)) break;
      reads.push_back(j);
    } else if (ins.op == Op::BrIf) {
      if (stacks_->height[j] != base + 1 || stacks_->height[j + 1] != base) break;
      end = j + 1;
      kept.insert(kept.end(), reads.begin(), reads.end());
      reads.clear();
    } else {
      // Globals and memory may change while paused; anything else allowed here is arithmetic.
      auto r = recomputable(ins.op);
      if (!r || r->load || ins.op == Op::GlobalGet) break;
    }
  }
  for (size_t k = 0; k < kept.size(); k++) {
    const auto& w = writesOf_[code_[kept[k]].a];
    auto it = std::upper_bound(w.begin(), w.end(), kept[k]);
    if (it != w.end() && *it < limit) {  // changed before the end: stop before this guard
      uint32_t j = kept[k];
      while (j > from && !(code_[j - 1].op == Op::BrIf && stacks_->height[j] == base)) j--;
      end = std::min(end, j);
    }
  }
  for (uint32_t j : kept)
    if (keepInFrame && j < end && !inFrame_[code_[j].a]) forcedSaved_.insert(code_[j].a);
  return end;
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
  const uint32_t firstLanding = first.isSite ? sites_[siteAt_[first.index]].landing : first.index;
  const uint32_t limit = first.isSite ? first.index : cs_.endOf[first.index];
  uint32_t j = leadingGuards(sequenceStartOf(construct, arm), firstLanding, limit, false);
  while (j < firstLanding && code_[j].op == Op::LocalGet && remat_.count(j)) j++;
  return j != firstLanding;
}

void Instrumenter::openSequence(CodeEmitter& e, uint32_t construct, uint32_t arm) {
  auto it = sequences_.find({construct, arm});
  if (it == sequences_.end()) return;
  auto& targets = it->second;
  // A lone target that starts the sequence is reached by simply running into it.
  uint32_t sequenceStart = sequenceStartOf(construct, arm);
  if (auto h = hoisted_.find(construct); h != hoisted_.end() && arm == 0) sequenceStart = h->second;
  const Target& first = targets.front();
  const uint32_t firstLanding = first.isSite ? sites_[siteAt_[first.index]].landing : first.index;
  // Guards run ahead of everything (see leadingGuards): on the normal path a guard that leaves
  // also skips the state test. Not at function level, where the prologue has not run yet.
  if (construct != CS::kFunction && armParams(construct, arm).empty()) {
    const Target& last = targets.back();
    const uint32_t limit = last.isSite ? last.index : cs_.endOf[last.index];
    const uint32_t guardEnd = leadingGuards(sequenceStart, firstLanding, limit);
    for (uint32_t j = sequenceStart; j < guardEnd; j++) {
      emitCopied(e, j);
      emittedEarly_.insert(j);
    }
    sequenceStart = guardEnd;
  }
  // Rematerialized `local.get`s emit nothing, so a prefix made only of them is empty. Not when
  // the sequence starts with values (block parameters, a caught payload): on rewind they are
  // stale, and only a skip block discards them.
  const std::vector<ValType> params = armParams(construct, arm);
  const bool hasParams = !params.empty();
  uint32_t prefixEnd = sequenceStart;
  while (prefixEnd < firstLanding && code_[prefixEnd].op == Op::LocalGet && remat_.count(prefixEnd))
    prefixEnd++;
  if (targets.size() == 1 && firstLanding == prefixEnd && !hasParams) {
    withoutSkip_.insert(first.index);
    return;
  }
  // A lone plain block after statements (code that leaves nothing on the stack) can open
  // before them: `P; block B ... end` runs as `block B P ... end`, and B's own dispatch then
  // skips P too. This sequence needs no state test at all, which matters in hot loops (an
  // interpreter's dispatch loop: one test per turn fewer).
  const Instr& firstIns = code_[first.index];
  const bool plainBlock = !first.isSite && firstIns.op == Op::Block &&
                          armParams(first.index, 0).empty() && !stacks_->unreachable[first.index];
  if (targets.size() == 1 && plainBlock && !hasParams &&
      stacks_->height[first.index] == stacks_->frameBase[first.index] &&
      stacks_->height[sequenceStart] == stacks_->frameBase[first.index]) {
    hoisted_[first.index] = sequenceStart;
    withoutSkip_.insert(first.index);
    enterPathConstruct(e, first.index);
    return;
  }
  // Skip blocks: the first target's block is the innermost. In a block with parameters they
  // take those parameters (a skip discards them; the code it skips would have consumed them).
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
                                     !stacks_->unreachable[j] && !remat_.count(j);
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
  std::vector<uint32_t> skip(targets.size());
  for (size_t j = targets.size(); j-- > 0;) {
    if (!targets[j].isSite && copiedLoops_.count(targets[j].index))
      openLoopCopy(e, targets[j].index);
    skip[j] = e.freshLabel();
    e.block(skip[j], skipType);
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
  bool setsConditions = false;
  for (const auto& t : targets)
    setsConditions |=
        !t.isSite && code_[t.index].op == Op::If && !path_.at(t.index).condRematerialized;
  // At function level the dispatch goes inside the rewind prologue (spliced in at
  // prologueAt_ once the frame is known), which already tests the state.
  const bool inPrologue = construct == CS::kFunction;
  if (inPrologue) {
    prologueAt_ = e.size();
    prologueLabel_ = e.freshLabel();
  }
  if (targets.size() == 1 && !setsConditions) {
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

  // Dispatch, taken only while rewinding (the state returns to normal once the call site's
  // callee has finished rewinding, so nothing needs clearing on landing).
  if (!inPrologue) {
    e.globalGet(target_.stateGlobal);
    e.open(CodeEmitter::make(Op::If), e.freshLabel());
  }
  putBack();
  emitDispatch(e, targets, skip);
  e.end();  // if
}

// Sets the arm selectors of the ifs among `targets` and branches to the skip block of the
// target holding the resume id.
void Instrumenter::emitDispatch(CodeEmitter& e, const std::vector<Target>& targets,
                                const std::vector<uint32_t>& skip) {
  auto idRange = [&](const Target& t) -> std::pair<uint32_t, uint32_t> {
    if (t.isSite) {
      uint32_t id = sites_[siteAt_[t.index]].id;
      return {id, id};
    }
    const auto& pc = path_.at(t.index);
    return {pc.lo, pc.hi};
  };
  const uint32_t lo = idRange(targets.front()).first;
  const uint32_t hi = idRange(targets.back()).second;

  for (const auto& t : targets) {
    if (t.isSite || code_[t.index].op != Op::If) continue;
    const auto& pc = path_.at(t.index);
    if (pc.condRematerialized) continue;  // the restored local picks the same arm again
    if (pc.hiThen < pc.lo || pc.hiThen >= pc.hi) {
      e.i32Const(pc.hiThen >= pc.hi ? 1 : 0);  // every site is in one arm
    } else {
      e.localGet(resumeLocal_);
      e.i32Const(static_cast<int32_t>(pc.hiThen));
      e.op(Op::I32LeU);
    }
    e.localSet(pc.condLocal);
  }
  const size_t m = targets.size();
  // A comparison per target, or a table per id: whichever is smaller.
  const size_t chainBytes = 7 * (m - 1);
  const size_t tableBytes = 8 + (hi - lo + 1) * (m > 100 ? 2 : 1);
  if (m == 1) {
    e.br(skip[0]);
  } else if (chainBytes <= tableBytes) {
    for (size_t j = 0; j + 1 < m; j++) {
      e.localGet(resumeLocal_);
      e.i32Const(static_cast<int32_t>(idRange(targets[j]).second));
      e.op(Op::I32LeU);
      e.brIf(skip[j]);
    }
    e.br(skip[m - 1]);
  } else {
    std::vector<uint32_t> labels;
    for (size_t j = 0; j < m; j++) {
      auto [a, b] = idRange(targets[j]);
      for (uint32_t id = a; id <= b; id++) labels.push_back(skip[j]);
    }
    labels.push_back(skip[m - 1]);  // default: ids out of range cannot occur
    e.localGet(resumeLocal_);
    e.i32Const(static_cast<int32_t>(lo));
    e.op(Op::I32Sub);
    e.brTable(labels);
  }
}

// The top sequence of a loop's rewind copy (see planLoopCopies): entered only while rewinding,
// so the dispatch needs no state test and the code before the first target, always skipped, is
// left out. Returns where the copy's code resumes: the first target's landing (whose spills,
// right after the dispatch, are never reached).
uint32_t Instrumenter::openRewindOnlySequence(CodeEmitter& e, uint32_t construct) {
  const auto& targets = sequences_.at({construct, 0});
  std::vector<uint32_t> skip(targets.size());
  for (size_t j = targets.size(); j-- > 0;) {
    skip[j] = e.freshLabel();
    e.block(skip[j]);
  }
  emitDispatch(e, targets, skip);
  const Target& first = targets.front();
  return first.isSite ? sites_[siteAt_[first.index]].landing : first.index;
}

void Instrumenter::emitLanding(CodeEmitter& e, const Target& t) {
  // Pop the current frame's values into locals, close the skip block, push them back.
  // Rematerialized values were never pushed; the last target needing one reloads it.
  const uint32_t at = t.isSite ? sites_[siteAt_[t.index]].landing : t.index;
  const auto& typesAt = stacks_->types.at(t.index);
  const uint32_t base = stacks_->frameBase[t.index];
  const uint32_t top = stacks_->height[at];
  const Site* site = t.isSite ? &sites_[siteAt_[t.index]] : nullptr;
  const bool isIf = !t.isSite && code_[t.index].op == Op::If;
  PathConstruct* pc = t.isSite ? nullptr : &path_.at(t.index);
  const uint32_t argsFrom = site && site->spillArgs ? top - site->argCount : top;
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
    uint32_t local = kNone;  // where the value is reloaded from
    bool reload = true;      // pushed back after the landing
    bool temp = false;
  };
  std::vector<Slot> slots(top - base);
  for (uint32_t k = top; k-- > base;) {
    Slot& slot = slots[k - base];
    auto r = rematSlot_.find({t.index, k});
    if (r != rematSlot_.end()) {
      const Remat& rm = remat_.at(r->second);
      slot.local = rm.local;
      slot.reload = rm.lastClaimer == t.index;
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
    e.localGet(slot.local);
    if (needsNonNull(typesAt[k])) e.op(Op::RefAsNonNull);
  }

  std::vector<uint32_t> temps, saved;
  for (uint32_t k = base; k < top; k++) {
    const Slot& slot = slots[k - base];
    if (slot.temp) temps.push_back(slot.local);
    const bool ignoredArg = site && k >= argsFrom && !site->saveArgs;
    // A rematerialized condition is re-read from its local on rewind to pick the same arm.
    const bool rematCondition = isIf && k == top - 1 && !slot.temp && slot.local != pc->condLocal;
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
// payload before the pause are skipped, and values it left on the stack are in the frame).
void Instrumenter::emitHandlerReentry(CodeEmitter& e, uint32_t tryStart) {
  PathConstruct& pc = path_.at(tryStart);
  const auto& catches = cs_.catchesOf[tryStart];
  bool any = false;
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
    if (clause.op == Op::CatchAll)
      unsupported(
          "a pausable call in a catch_all handler that rethrows: the caught exception cannot "
          "be rebuilt on rewind",
          *rethrowAt);
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
        } else if (payload[k].isRef() && !payload[k].nullable) {
          unsupported("a pausable call in a handler whose payload is a non-nullable reference",
                      clause.offset);
        } else {
          e.zero(payload[k]);
        }
      }
      toss.a = clause.a;
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
// The copy costs bytes: off when the module is to be small (InstrumentTarget::loopCopies).
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
    if (!tested || hasTry) continue;
    copiedLoops_[c] = kNone;
    coveredTo = cs_.endOf[c];
  }
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
  if (copiedLoops_.at(loop) == kNone) {
    // Reached without a skip block: a test per entry to the loop, not per turn.
    openLoopCopy(e, loop);
    e.globalGet(target_.stateGlobal);
    e.op(Op::I32Eqz);
    e.brIf(loop + 1);
  }
  const uint32_t after = copiedLoops_.at(loop);
  emitRange(e, openRewindOnlySequence(e, loop), loopEnd);
  e.br(after);
  e.end();  // the block standing for the loop's label
  emitCopied(e, loop);
  normalOnly_ = true;
  emitRange(e, loop + 1, loopEnd);
  normalOnly_ = false;
  e.end();  // the loop
  e.end();  // after
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
    if (!normalOnly_) {
      if (hoisted_.count(i)) continue;       // opened before its prefix
      if (emittedEarly_.count(i)) continue;  // ran ahead of a state test
    }
    auto pc = path_.find(i);
    bool onPath = pc != path_.end();
    if (onPath) emitLanding(e, Target{false, i});

    if (auto r = remat_.find(i); r != remat_.end()) {
      if (ins.op == Op::LocalTee) e.localSet(ins.a);  // keep the write, not the push
      continue;
    }
    if (siteAt_[i] != kNone) {
      Site& s = sites_[siteAt_[i]];
      Instr call = ins;
      call.op = plainCallOf(ins.op);
      e.plain(call);
      // The frame to save: what is live here, spilled operands of this site and of every
      // construct on its path.
      s.saved = liveAtSite_[siteAt_[i]];
      const auto& own = siteTemps_[s.index];
      s.saved.insert(s.saved.end(), own.begin(), own.end());
      s.saved.insert(s.saved.end(), activeBelow_.begin(), activeBelow_.end());
      std::sort(s.saved.begin(), s.saved.end());
      s.saved.erase(std::unique(s.saved.begin(), s.saved.end()), s.saved.end());
      e.i32Const(static_cast<int32_t>(s.id));
      e.globalGet(target_.stateGlobal);
      e.brIf(unwindLabel_);
      e.op(Op::Drop);
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

void Instrumenter::storeCurrentFromPtr(CodeEmitter& e, uint64_t plus) {
  e.globalGet(target_.dataGlobal);
  e.localGet(ptrLocal_);
  if (plus) {
    addrConst(e, plus);
    addrOp(e, Op::I32Add, Op::I64Add);
  }
  e.memoryOp(target_.memory64 ? Op::I64Store : Op::I32Store, target_.memory,
             target_.memory64 ? 3 : 2, 0);
}

void Instrumenter::computeFrames() {
  // One frame layout per function: the union of what is live at its call sites (never more
  // than that). Separate layouts per site would save a few bytes per unwind but repeat the
  // save and restore code for every layout, and code size is what users pay for always.
  std::vector<uint32_t> all(forcedSaved_.begin(), forcedSaved_.end());
  for (auto& s : sites_) all.insert(all.end(), s.saved.begin(), s.saved.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::stable_sort(all.begin(), all.end(), [&](uint32_t a, uint32_t b) {
    return frameOrderRank(frameKind(localTypes_[a])) < frameOrderRank(frameKind(localTypes_[b]));
  });
  // Statements moved ahead of a state test rely on the scratch globals, hence on helpers.
  useHelpers_ = (all.size() <= kMaxHelperValues || scratchRestore_) && !inlineFrames_;
  if (scratchRestore_ && all.size() > kMaxHelperParams)
    unsupported("too many values live across pausable calls", code_[sites_.front().index].offset);
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
    if (!useHelpers_ || !lastOfKind) continue;
    // Round each kind's count up so that functions share helpers; the extra slots carry a
    // copy of a value that is saved anyway and are dropped on restore.
    size_t count = 0;
    for (uint32_t l : all) count += frameKind(localTypes_[l]) == kind;
    for (size_t extra = paddedCount(count) - count; extra > 0; extra--) place(all[k], true);
  }
  frameBytes_ = offset + 4;  // + the site id
}

void Instrumenter::callHelper(CodeEmitter& e, HelperUse use) {
  e.call(kHelperPlaceholder + static_cast<uint32_t>(helpers_.size()));
  helpers_.push_back(std::move(use));
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

void Instrumenter::emitPrologue(CodeEmitter& e) {
  const bool spliced = prologueAt_ != SIZE_MAX;  // the body holds the rest and the `end`
  e.globalGet(target_.stateGlobal);
  e.i32Const(2);
  e.op(Op::I32Eq);
  e.open(CodeEmitter::make(Op::If), spliced ? prologueLabel_ : e.freshLabel());
  if (!target_.tails->handOver[self_].empty()) emitTailHandOver(e);
  if (sites_.empty()) {
    // Only tail calls pause here: the frame on top is never ours.
  } else if (useHelpers_) {
    // One multi-value call, or one call that leaves the values in scratch globals. Either way
    // in reverse: references go back to their tables in the opposite order of parking.
    const bool multi = target_.multiValue;
    callHelper(e, {multi ? HelperUse::Restore : HelperUse::Unpack, signature_});
    e.localSet(resumeLocal_);
    std::vector<uint32_t> position(ValType::Bottom + 1, 0);
    std::vector<uint32_t> scratchOf(layout_.size());
    for (size_t k = 0; k < layout_.size(); k++) {
      const ValType::Kind kind = frameKind(localTypes_[layout_[k].first]);
      scratchOf[k] = kScratchPlaceholder + scratchKey(kind, position[kind]++);
    }
    for (size_t k = layout_.size(); k-- > 0;) {
      const uint32_t l = layout_[k].first;
      if (padding_[k]) {
        if (multi) e.op(Op::Drop);
        continue;
      }
      if (!multi) e.globalGet(scratchOf[k]);
      if (localTypes_[l].isRef()) unpark(e, localTypes_[l]);
      restoreInto(e, l);
    }
  } else {
    // ptr = current - frame; current = ptr; reload each value; the id is in the last 4 bytes.
    loadCurrent(e);
    addrConst(e, frameBytes_);
    addrOp(e, Op::I32Sub, Op::I64Sub);
    e.localSet(ptrLocal_);
    storeCurrentFromPtr(e, 0);
    for (size_t k = layout_.size(); k-- > 0;) {  // the reverse of saving: slots go back LIFO
      if (padding_[k]) continue;
      auto [l, off] = layout_[k];
      const ValType::Kind kind = frameKind(localTypes_[l]);
      e.localGet(ptrLocal_);
      e.memoryOp(frameLoadOp(kind), target_.memory, frameAlignLog2(kind), off);
      if (localTypes_[l].isRef()) unpark(e, localTypes_[l]);
      restoreInto(e, l);
    }
    e.localGet(ptrLocal_);
    e.memoryOp(Op::I32Load, target_.memory, 2, frameBytes_ - 4);
    e.localSet(resumeLocal_);
  }
  if (!spliced) e.end();  // if
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
  // On the stack: the id of the site that is unwinding.
  e.localSet(resumeLocal_);
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
  if (useHelpers_) {
    for (size_t k = 0; k < layout_.size(); k++) pushSaved(k);
    e.localGet(resumeLocal_);
    callHelper(e, {HelperUse::Save, signature_});
  } else {
    loadCurrent(e);
    e.localSet(ptrLocal_);
    if (target_.boundsCheck) {
      // end - current < bytes: the frame does not fit; trap before writing anything.
      loadEnd(e);
      e.localGet(ptrLocal_);
      addrOp(e, Op::I32Sub, Op::I64Sub);
      addrConst(e, frameBytes_);
      addrOp(e, Op::I32LtU, Op::I64LtU);
      e.open(CodeEmitter::make(Op::If), e.freshLabel());
      e.op(Op::Unreachable);
      e.end();
    }
    for (size_t k = 0; k < layout_.size(); k++) {
      auto [l, off] = layout_[k];
      const ValType::Kind kind = frameKind(localTypes_[l]);
      e.localGet(ptrLocal_);
      pushSaved(k);
      e.memoryOp(frameStoreOp(kind), target_.memory, frameAlignLog2(kind), off);
    }
    e.localGet(ptrLocal_);
    e.localGet(resumeLocal_);
    e.memoryOp(Op::I32Store, target_.memory, 2, frameBytes_ - 4);
    storeCurrentFromPtr(e, frameBytes_);
  }
  for (ValType r : type_.results) e.zero(r);
  e.op(Op::Return);
}

FunctionInstrumentation Instrumenter::run() {
  FunctionCode fc = readFunctionCode(m_.bodyBytes(fn_), fn_.replaced ? 0 : fn_.body.begin);
  code_ = decodeAll(fc.code, fc.codeOffset, pools_);
  localTypes_ = type_.params;
  localTypes_.insert(localTypes_.end(), fc.locals.begin(), fc.locals.end());
  numOriginalLocals_ = static_cast<uint32_t>(localTypes_.size());
  for (ValType r : type_.results)
    if (r.isRef() && !r.nullable)
      unsupported("a pausable function returning a non-nullable reference", fc.codeOffset);

  cs_ = analyzeControl(code_, pools_);
  findSites();
  FunctionInstrumentation out;
  // Every pausable call is unreachable (and no tail call hands over): leave it as it is.
  if (sites_.empty() && target_.tails->handOver[self_].empty()) return out;
  // Declared non-nullable references become nullable (see addLocal); their reads get
  // ref.as_non_null. Done after the operand-stack types were recorded with the real types.
  for (uint32_t l = static_cast<uint32_t>(type_.params.size()); l < numOriginalLocals_; l++) {
    if (!localTypes_[l].isRef() || localTypes_[l].nullable) continue;
    localTypes_[l].nullable = true;
    relaxed_.insert(l);
  }
  planSites();
  planRematerialization();
  // Arm selectors: an if's selector is dead once its arm is entered, so ifs in different
  // sequences share them; siblings (set together by one dispatch) need distinct ones.
  std::vector<uint32_t> selectors;
  for (auto& [key, targets] : sequences_) {
    size_t k = 0;
    for (const auto& t : targets) {
      if (t.isSite || code_[t.index].op != Op::If) continue;
      auto& pc = path_.at(t.index);
      pc.condRematerialized = rematSlot_.count({t.index, stacks_->height[t.index] - 1}) > 0;
      if (pc.condRematerialized) continue;
      if (k == selectors.size()) selectors.push_back(addLocal(ValType::i32()));
      pc.condLocal = selectors[k++];
    }
  }

  std::vector<uint32_t> points;
  for (const auto& s : sites_) points.push_back(s.landing);
  liveAtSite_ = liveLocalsAt(code_, pools_, cs_, numOriginalLocals_, points);
  inFrame_.assign(numOriginalLocals_, false);
  for (const auto& live : liveAtSite_)
    for (uint32_t l : live) inFrame_[l] = true;
  const auto framed = static_cast<size_t>(std::count(inFrame_.begin(), inFrame_.end(), true));
  // Rematerialized values are re-read from their locals after landing: those count too.
  for (const auto& [producer, rm] : remat_) inFrame_[rm.local] = true;
  writesOf_.assign(numOriginalLocals_, {});
  for (uint32_t i = 0; i < code_.size(); i++)
    if (code_[i].op == Op::LocalSet || code_[i].op == Op::LocalTee)
      writesOf_[code_[i].a].push_back(i);
  // Inline frames pay where the helper call is a large part of the work per frame: few values.
  inlineFrames_ =
      target_.inlineFrames && (*target_.inlineFrames)[self_] && framed <= kMaxInlineFrameValues;
  scratchRestore_ = !target_.multiValue && framed <= kMaxScratchAssumed && !inlineFrames_;
  planLoopCopies();

  resumeLocal_ = addLocal(ValType::i32());
  ptrLocal_ = addLocal(target_.memory64 ? ValType::i64() : ValType::i32());

  // The body first (it decides the temps), then the frames, then assemble around it:
  // prologue; block $unwind (result i32) { body; return }; unwind handler; end. Everything is
  // emitted into one emitter (the largest functions decide the transform's peak memory).
  CodeEmitter body(pools_, static_cast<uint32_t>(code_.size()) + 1);
  unwindLabel_ = body.freshLabel();
  if (!sites_.empty()) {
    BlockType yieldsId;
    yieldsId.kind = BlockType::Value;
    yieldsId.value = ValType::i32();
    body.block(unwindLabel_, yieldsId);
  }
  emitBody(body);
  computeFrames();
  if (scratchRestore_) {
    std::map<uint32_t, uint32_t> scratchOfLocal;
    std::vector<uint32_t> position(ValType::Bottom + 1, 0);
    for (size_t k = 0; k < layout_.size(); k++) {
      const ValType::Kind kind = frameKind(localTypes_[layout_[k].first]);
      const uint32_t key = scratchKey(kind, position[kind]++);
      if (!padding_[k]) scratchOfLocal.emplace(layout_[k].first, kScratchPlaceholder + key);
    }
    body.rewrite([&](Instr& ins) {
      if (ins.op == Op::GlobalGet && ins.a >= kFrameLocalPlaceholder && ins.a < kScratchPlaceholder)
        ins.a = scratchOfLocal.at(ins.a - kFrameLocalPlaceholder);
    });
  }
  // The input's decoded form and its analyses are no longer needed.
  std::vector<Instr>().swap(code_);
  stacks_.reset();
  cs_ = ControlStructure();

  CodeEmitter prologue(pools_, body.nextLabel());
  emitPrologue(prologue);
  body.insert(prologueAt_ != SIZE_MAX ? prologueAt_ : 0, prologue);
  if (!sites_.empty()) {
    body.op(Op::Return);
    body.end();
    emitUnwindHandler(body);
  }
  body.end();  // the function
  return finishOutput(body);
}

FunctionInstrumentation Instrumenter::finishOutput(const CodeEmitter& whole) {
  FunctionInstrumentation out;
  out.code = whole.finish(out.pools);
  out.declaredLocals.assign(localTypes_.begin() + static_cast<std::ptrdiff_t>(type_.params.size()),
                            localTypes_.end());
  out.helpers = helpers_;
  out.blockTypes = blockTypes_;
  out.parkedTypes = parked_;
  out.usesResumeTag = usesResumeTag_;
  out.callSites = static_cast<uint32_t>(sites_.size());
  out.loopCopies = static_cast<uint32_t>(copiedLoops_.size());
  out.inlineFrames = !useHelpers_;
  out.frameBytes.assign(sites_.size(), frameBytes_);
  out.maxFrameBytes = frameBytes_;
  return out;
}

}  // namespace

void FunctionInstrumentation::encode() {
  if (code.empty()) return;
  encoded = encodeFunctionBody(declaredLocals, code, pools);
  std::vector<Instr>().swap(code);
  pools.clear();
  std::vector<ValType>().swap(declaredLocals);
}

FunctionInstrumentation instrumentFunction(const Module& module, const CallGraph& graph,
                                           const Pausability& pausability,
                                           const InstrumentTarget& target, uint32_t definedIndex) {
  Instrumenter instrumenter(module, graph, pausability, target, definedIndex);
  return instrumenter.run();
}

}  // namespace asyncify
