// Instrumenting one function for unwinding and rewinding, without flattening it.
//
// The body keeps its structure. Only three things are added:
//  1. After each pausable call: `i32.const id; global.get $state; br_if $unwind; drop` — the
//     whole normal-path cost of a call site. `$unwind` is a block around the body whose end is
//     followed by cold code that saves the frame of call site `id` and returns zero values.
//  2. A rewind prologue: when the state is "rewinding", pop this function's frame (locals live
//     at the site, plus spilled operands), remember the site id in `$resume`, and jump to it.
//  3. The jump: structured code cannot branch into a block, so each sequence on the path to a
//     call site gets "skip blocks": `block $skip_j` opens at the start of the sequence and ends
//     right where target j (a call site or a nested construct containing one) begins. A dispatch
//     at the start of the sequence, taken only while `$resume` is non-zero, branches to the right
//     skip block's end, so rewinding reaches the site directly without re-running earlier code.
//     Landing on a call site clears `$resume`. An `if` on the path gets its condition from a
//     dedicated local that the dispatch sets to pick the arm holding the site.
// Operand-stack values below a target are spilled to locals just before it and reloaded just
// after its skip block ends (only at call sites and at constructs on a path), so that frames can
// be saved from locals. Arguments of a call to an instrumented function are recomputed on
// rewind when they come from side-effect-free code (the callee ignores them while rewinding);
// otherwise they are spilled too. Arguments of calls that may reach imports are saved, since the
// import is called again with them.
// Liveness is computed per call site: a frame holds only what that site needs. Sites whose
// saved sets are equal share one save and one restore sequence.
// Frame layout: saved values (16-, 8-, then 4-byte ones), then the site id in the last 4 bytes.
#include "function_instrumenter.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "asyncify/analysis/control_structure.h"
#include "asyncify/analysis/liveness.h"
#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"
#include "asyncify/validate/validator.h"
#include "code_emitter.h"

namespace asyncify {
namespace {

using CS = ControlStructure;
constexpr uint32_t kNone = UINT32_MAX;

class StackRecorder final : public StackObserver {
 public:
  explicit StackRecorder(size_t n) : height(n, 0), frameBase(n, 0), unreachable(n, 0), wantTypes(n, 0) {}
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
    case Op::Call: case Op::ReturnCall: case Op::CallIndirect: case Op::ReturnCallIndirect:
    case Op::CallRef: case Op::ReturnCallRef:
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

// Code that may run again on rewind: no side effects, no traps, no control flow.
bool isPure(Op op) {
  switch (op) {
    case Op::LocalGet: case Op::GlobalGet: case Op::I32Const: case Op::I64Const:
    case Op::F32Const: case Op::F64Const: case Op::RefNull: case Op::RefFunc: case Op::Nop:
    case Op::I32Add: case Op::I32Sub: case Op::I32Mul: case Op::I32And: case Op::I32Or:
    case Op::I32Xor: case Op::I32Shl: case Op::I32ShrS: case Op::I32ShrU: case Op::I32Eqz:
    case Op::I32Eq: case Op::I32Ne: case Op::I32LtS: case Op::I32LtU: case Op::I32GtS:
    case Op::I32GtU: case Op::I32LeS: case Op::I32LeU: case Op::I32GeS: case Op::I32GeU:
    case Op::I64Add: case Op::I64Sub: case Op::I64Mul: case Op::I64And: case Op::I64Or:
    case Op::I64Xor: case Op::I64Shl: case Op::I64ShrS: case Op::I64ShrU: case Op::I64Eqz:
    case Op::I32WrapI64: case Op::I64ExtendI32S: case Op::I64ExtendI32U:
      return true;
    default:
      return false;
  }
}

// Operands a pure operator consumes (0 for producers, 1 for unary, 2 for binary).
unsigned pureConsumes(Op op) {
  switch (op) {
    case Op::LocalGet: case Op::GlobalGet: case Op::I32Const: case Op::I64Const:
    case Op::F32Const: case Op::F64Const: case Op::RefNull: case Op::RefFunc: case Op::Nop:
      return 0;
    case Op::I32Eqz: case Op::I64Eqz: case Op::I32WrapI64: case Op::I64ExtendI32S:
    case Op::I64ExtendI32U:
      return 1;
    default:
      return 2;
  }
}

unsigned alignLog2Of(unsigned bytes) { return bytes >= 8 ? 3 : 2; }

Op loadOf(ValType t) {
  switch (t.kind) {
    case ValType::I32: return Op::I32Load;
    case ValType::I64: return Op::I64Load;
    case ValType::F32: return Op::F32Load;
    case ValType::F64: return Op::F64Load;
    default: return Op::V128Load;
  }
}
Op storeOf(ValType t) {
  switch (t.kind) {
    case ValType::I32: return Op::I32Store;
    case ValType::I64: return Op::I64Store;
    case ValType::F32: return Op::F32Store;
    case ValType::F64: return Op::F64Store;
    default: return Op::V128Store;
  }
}

struct Site {
  uint32_t index = 0;     // the call instruction
  uint32_t id = 0;        // resume id, from 1
  uint32_t landing = 0;   // where its skip block ends and operands are spilled
  uint32_t argCount = 0;  // operands the call consumes
  bool spillArgs = true;  // false: arguments are recomputed by pure code after the landing
  bool saveArgs = true;   // spilled arguments go into the frame
  uint32_t group = 0;
  std::vector<uint32_t> saved;  // locals saved in its frame, sorted
};

struct PathConstruct {
  uint32_t lo = kNone, hi = 0;  // resume ids inside
  uint32_t hiThen = 0;          // last id in the then-arm (if), lo - 1 when none
  uint32_t condLocal = kNone;   // for if: the arm selector
  std::vector<uint32_t> belowTemps;
};

struct Target {
  bool isSite = false;
  uint32_t index = 0;  // site's call instruction or construct start
};

class Instrumenter {
 public:
  Instrumenter(const Module& m, const CallGraph& g, const Pausability& p, const InstrumentTarget& t,
               uint32_t definedIndex)
      : m_(m), graph_(g), pause_(p), target_(t), self_(m.numImportedFunctions() + definedIndex),
        fn_(m.functions[definedIndex]), type_(m.funcType(fn_.typeIndex)) {}

  FunctionInstrumentation run();

 private:
  [[noreturn]] void unsupported(const std::string& what, uint64_t offset) const {
    throw Error(fmt::format("cannot instrument function {}: {}", pause_.names[self_], what), offset);
  }
  bool callMayPause(const Instr& ins) const;
  uint32_t argCountOf(const Instr& ins) const;
  void findSites();
  void planSites();
  void computeFrames();
  uint32_t addLocal(ValType t) {
    localTypes_.push_back(t);
    return static_cast<uint32_t>(localTypes_.size() - 1);
  }
  uint32_t takeTemp(ValType t, uint64_t offset);
  void releaseTemps(const std::vector<uint32_t>& temps);
  void emitBody(CodeEmitter& e);
  void openSequence(CodeEmitter& e, uint32_t construct, uint8_t arm);
  void emitLanding(CodeEmitter& e, const Target& t);
  void emitCopied(CodeEmitter& e, size_t i);
  void emitPrologue(CodeEmitter& e);
  void emitUnwindHandler(CodeEmitter& e);
  // Address arithmetic in the memory's address type.
  void addrConst(CodeEmitter& e, uint64_t v) {
    if (target_.memory64) e.i64Const(static_cast<int64_t>(v)); else e.i32Const(static_cast<int32_t>(v));
  }
  void addrOp(CodeEmitter& e, Op op32, Op op64) { e.op(target_.memory64 ? op64 : op32); }
  void loadCurrent(CodeEmitter& e) {
    e.globalGet(target_.dataGlobal);
    e.memoryOp(target_.memory64 ? Op::I64Load : Op::I32Load, target_.memory, target_.memory64 ? 3 : 2, 0);
  }
  void loadEnd(CodeEmitter& e) {
    e.globalGet(target_.dataGlobal);
    e.memoryOp(target_.memory64 ? Op::I64Load : Op::I32Load, target_.memory, target_.memory64 ? 3 : 2,
               target_.memory64 ? 8 : 4);
  }
  void storeCurrentFromPtr(CodeEmitter& e, uint64_t plus);

  const Module& m_;
  const CallGraph& graph_;
  const Pausability& pause_;
  const InstrumentTarget& target_;
  const uint32_t self_;
  const Function& fn_;
  const FuncType& type_;

  CodePools pools_;
  std::vector<Instr> code_;
  std::vector<ValType> localTypes_;  // params, declared, then new
  uint32_t numOriginalLocals_ = 0;
  size_t numDeclared_ = 0;
  ControlStructure cs_;
  std::unique_ptr<StackRecorder> stacks_;

  std::vector<Site> sites_;
  std::vector<uint32_t> siteAt_;         // per instruction: index into sites_, or kNone
  std::vector<uint32_t> landingAt_;      // per instruction: site whose landing is here
  std::map<uint32_t, PathConstruct> path_;  // by construct start
  std::map<std::pair<uint32_t, uint8_t>, std::vector<Target>> sequences_;
  std::map<uint32_t, std::vector<uint32_t>> siteTemps_;  // site -> temps of its own spill
  std::map<uint32_t, std::vector<uint32_t>> siteUnsavedTemps_;

  std::map<std::pair<uint8_t, uint32_t>, std::vector<uint32_t>> freeTemps_;  // (kind) -> locals
  std::vector<uint32_t> activeBelow_;  // temps of enclosing path constructs, while emitting
  std::vector<std::vector<uint32_t>> liveAtSite_;  // original locals live at each landing

  uint32_t resumeLocal_ = 0, ptrLocal_ = 0;
  uint32_t unwindLabel_ = 0;
  std::vector<std::vector<uint32_t>> groups_;  // saved sets
  std::vector<uint32_t> groupBytes_;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> groupLayout_;  // (local, offset)
};

bool Instrumenter::callMayPause(const Instr& ins) const {
  switch (ins.op) {
    case Op::Call: case Op::ReturnCall:
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
  for (size_t i = 0; i < n; i++)
    if (isCallOp(code_[i].op) && callMayPause(code_[i])) candidates.push_back(static_cast<uint32_t>(i));

  stacks_ = std::make_unique<StackRecorder>(n);
  for (uint32_t i : candidates) {
    stacks_->wantTypes[i] = 1;
    for (uint32_t c = cs_.parent[i]; c != CS::kFunction; c = cs_.parent[c]) {
      if (stacks_->wantTypes[c]) break;
      stacks_->wantTypes[c] = 1;
    }
  }
  validateCode(m_, type_, std::span<const ValType>(localTypes_).subspan(type_.params.size()),
               code_, pools_, stacks_.get());

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

void Instrumenter::planSites() {
  uint32_t nextId = 1;
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
      bool ok = true;
      while (ok && stacks_->height[j] > need) {
        if (j == 0) {
          ok = false;
          break;
        }
        j--;
        const Op op = code_[j].op;
        ok = isPure(op) && cs_.parent[j] == cs_.parent[s.index] && !stacks_->unreachable[j] &&
             stacks_->height[j] >= need + pureConsumes(op);
      }
      if (ok && stacks_->height[j] == need) {
        s.landing = j;
        s.spillArgs = false;
      }
    }
    landingAt_[s.landing] = static_cast<uint32_t>(&s - sites_.data());

    // Record the path and check what the path crosses.
    uint32_t child = s.index;
    for (uint32_t c = cs_.parent[s.index]; c != CS::kFunction; child = c, c = cs_.parent[c]) {
      const Instr& ins = code_[c];
      if (ins.op == Op::Try && !cs_.catchesOf[c].empty() && child > cs_.catchesOf[c][0])
        unsupported("a pausable call inside a catch handler", call.offset);
      if (ins.block.kind == BlockType::Index && !m_.funcType(ins.block.index).params.empty())
        unsupported("a pausable call inside a block with parameters", call.offset);
      auto& pc = path_[c];
      pc.lo = std::min(pc.lo, s.id);
      pc.hi = std::max(pc.hi, s.id);
      bool inThen = ins.op == Op::If && (cs_.elseOf[c] == kNone || child < cs_.elseOf[c]);
      if (inThen) pc.hiThen = std::max(pc.hiThen, s.id);
    }
  }
  // Sequences and their targets, in code order.
  auto armOf = [&](uint32_t parent, uint32_t index) -> uint8_t {
    if (parent == CS::kFunction || code_[parent].op != Op::If) return 0;
    return cs_.elseOf[parent] != kNone && index > cs_.elseOf[parent] ? 1 : 0;
  };
  std::vector<Target> all;
  for (auto& [c, pc] : path_) {
    if (pc.hiThen == 0) pc.hiThen = pc.lo - 1;
    if (code_[c].op == Op::If) pc.condLocal = addLocal(ValType::i32());
    all.push_back({false, c});
  }
  for (auto& s : sites_) all.push_back({true, s.index});
  std::sort(all.begin(), all.end(), [](const Target& a, const Target& b) { return a.index < b.index; });
  for (const auto& t : all) {
    uint32_t parent = cs_.parent[t.index];
    sequences_[{parent, armOf(parent, t.index)}].push_back(t);
  }
}

uint32_t Instrumenter::takeTemp(ValType t, uint64_t offset) {
  if (t.isRef())
    unsupported("a reference value on the operand stack across a pausable call", offset);
  auto& pool = freeTemps_[{static_cast<uint8_t>(t.kind), 0}];
  if (!pool.empty()) {
    uint32_t l = pool.back();
    pool.pop_back();
    return l;
  }
  return addLocal(t);
}

void Instrumenter::releaseTemps(const std::vector<uint32_t>& temps) {
  for (uint32_t l : temps) freeTemps_[{static_cast<uint8_t>(localTypes_[l].kind), 0}].push_back(l);
}

void Instrumenter::openSequence(CodeEmitter& e, uint32_t construct, uint8_t arm) {
  auto it = sequences_.find({construct, arm});
  if (it == sequences_.end()) return;
  auto& targets = it->second;
  // Skip blocks: the first target's block is the innermost.
  std::vector<uint32_t> skip(targets.size());
  for (size_t j = targets.size(); j-- > 0;) {
    skip[j] = e.freshLabel();
    e.block(skip[j]);
  }

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
  bool anySite = false, anyConstruct = false;
  std::vector<uint32_t> entryTarget(hi - lo + 1);  // target position per id
  for (size_t j = 0; j < targets.size(); j++) {
    auto [a, b] = idRange(targets[j]);
    for (uint32_t id = a; id <= b; id++) entryTarget[id - lo] = static_cast<uint32_t>(j);
    (targets[j].isSite ? anySite : anyConstruct) = true;
  }

  // Dispatch, taken only while rewinding.
  e.localGet(resumeLocal_);
  Instr ifIns = CodeEmitter::make(Op::If);
  e.open(ifIns, e.freshLabel());
  for (const auto& t : targets) {
    if (t.isSite || code_[t.index].op != Op::If) continue;
    const auto& pc = path_.at(t.index);
    e.localGet(resumeLocal_);
    e.i32Const(static_cast<int32_t>(pc.hiThen));
    e.op(Op::I32LeU);
    e.localSet(pc.condLocal);
  }
  auto indexOnStack = [&] {
    e.localGet(resumeLocal_);
    e.i32Const(static_cast<int32_t>(lo));
    e.op(Op::I32Sub);
  };
  auto table = [&](auto pick) {
    std::vector<uint32_t> labels;
    for (uint32_t j : entryTarget) labels.push_back(pick(j));
    labels.push_back(labels.back());  // default: out-of-range ids cannot occur
    e.brTable(labels);
  };
  if (anySite && anyConstruct) {
    uint32_t toSite = e.freshLabel();
    e.block(toSite);
    indexOnStack();
    table([&](uint32_t j) { return targets[j].isSite ? toSite : skip[j]; });
    e.end();
  }
  if (anySite) {
    // Landing on the call site itself: the rewind is complete at this level.
    indexOnStack();
    e.i32Const(0);
    e.localSet(resumeLocal_);
    uint32_t anySiteSkip = 0;
    for (size_t j = 0; j < targets.size(); j++)
      if (targets[j].isSite) anySiteSkip = skip[j];
    table([&](uint32_t j) { return targets[j].isSite ? skip[j] : anySiteSkip; });
  } else {
    indexOnStack();
    table([&](uint32_t j) { return skip[j]; });
  }
  e.end();  // if
}

void Instrumenter::emitLanding(CodeEmitter& e, const Target& t) {
  // Pop every value of the current frame into locals, close the skip block, reload them.
  const uint32_t at = t.isSite ? sites_[siteAt_[t.index]].landing : t.index;
  const auto& typesAt = stacks_->types.at(t.index);
  const uint32_t base = stacks_->frameBase[t.index];
  const uint32_t height = stacks_->height[at];  // values present at the landing
  std::vector<uint32_t> below, args;
  uint32_t cond = kNone;
  size_t top = height;
  uint64_t offset = code_[t.index].offset;
  if (!t.isSite && code_[t.index].op == Op::If) {
    cond = path_.at(t.index).condLocal;
    e.localSet(cond);
    top--;
  }
  const Site* site = t.isSite ? &sites_[siteAt_[t.index]] : nullptr;
  size_t argsFrom = top;
  if (site && site->spillArgs) argsFrom = top - site->argCount;
  for (size_t k = top; k-- > base;) {
    uint32_t l = takeTemp(typesAt[k], offset);
    e.localSet(l);
    (k >= argsFrom ? args : below).push_back(l);
  }
  std::reverse(below.begin(), below.end());
  std::reverse(args.begin(), args.end());
  e.end();  // the skip block
  for (uint32_t l : below) e.localGet(l);
  for (uint32_t l : args) e.localGet(l);
  if (cond != kNone) e.localGet(cond);

  if (site) {
    std::vector<uint32_t> own = below;
    if (site->saveArgs) own.insert(own.end(), args.begin(), args.end());
    siteTemps_[site->index] = own;
    std::vector<uint32_t> all = below;
    all.insert(all.end(), args.begin(), args.end());
    siteUnsavedTemps_[site->index] = all;  // all released after the call
  } else {
    path_.at(t.index).belowTemps = below;
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

void Instrumenter::emitBody(CodeEmitter& e) {
  const size_t n = code_.size();
  openSequence(e, CS::kFunction, 0);
  for (size_t i = 0; i + 1 < n; i++) {  // the function's own `end` is emitted by the caller
    const Instr& ins = code_[i];
    if (landingAt_[i] != kNone) emitLanding(e, Target{true, sites_[landingAt_[i]].index});
    auto pc = path_.find(static_cast<uint32_t>(i));
    bool onPath = pc != path_.end();
    if (onPath) emitLanding(e, Target{false, static_cast<uint32_t>(i)});

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
    emitCopied(e, i);
    if (onPath) {
      activeBelow_.insert(activeBelow_.end(), pc->second.belowTemps.begin(), pc->second.belowTemps.end());
      openSequence(e, static_cast<uint32_t>(i), 0);
    }
    if (ins.op == Op::Else && path_.count(cs_.parent[i])) openSequence(e, cs_.parent[i], 1);
    if ((ins.op == Op::End || ins.op == Op::Delegate) && cs_.parent[i] != CS::kFunction) {
      auto owner = path_.find(cs_.parent[i]);
      if (owner != path_.end()) {
        const auto& below = owner->second.belowTemps;
        activeBelow_.resize(activeBelow_.size() - below.size());
        releaseTemps(below);
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
  std::map<std::vector<uint32_t>, uint32_t> byContent;
  for (auto& s : sites_) {
    auto [it, inserted] = byContent.emplace(s.saved, static_cast<uint32_t>(groups_.size()));
    s.group = it->second;
    if (!inserted) continue;
    groups_.push_back(s.saved);
    std::vector<uint32_t> order = s.saved;
    for (uint32_t l : order)
      if (localTypes_[l].isRef())
        unsupported(fmt::format("a reference-typed local (local {}) is live across a pausable call", l),
                    code_[s.index].offset);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return localTypes_[a].byteSize() > localTypes_[b].byteSize();
    });
    std::vector<std::pair<uint32_t, uint32_t>> layout;
    uint32_t offset = 0;
    for (uint32_t l : order) {
      layout.push_back({l, offset});
      offset += localTypes_[l].byteSize();
    }
    groupLayout_.push_back(layout);
    groupBytes_.push_back(offset + 4);  // + the site id
  }
}

void Instrumenter::emitPrologue(CodeEmitter& e) {
  const uint32_t done = e.freshLabel();
  e.globalGet(target_.stateGlobal);
  e.i32Const(2);
  e.op(Op::I32Eq);
  e.open(CodeEmitter::make(Op::If), done);
  // current -> ptr; the site id sits in the frame's last 4 bytes.
  loadCurrent(e);
  e.localTee(ptrLocal_);
  addrConst(e, 4);
  addrOp(e, Op::I32Sub, Op::I64Sub);
  e.memoryOp(Op::I32Load, target_.memory, 2, 0);
  e.localSet(resumeLocal_);
  std::vector<uint32_t> groupLabels(groups_.size());
  for (size_t g = groups_.size(); g-- > 0;) {
    groupLabels[g] = e.freshLabel();
    e.block(groupLabels[g]);
  }
  e.localGet(resumeLocal_);
  e.i32Const(1);
  e.op(Op::I32Sub);
  std::vector<uint32_t> table;
  for (const auto& s : sites_) table.push_back(groupLabels[s.group]);
  table.push_back(table.back());
  e.brTable(table);
  for (size_t g = 0; g < groups_.size(); g++) {
    e.end();  // group g's block: its restore code follows
    e.localGet(ptrLocal_);
    addrConst(e, groupBytes_[g]);
    addrOp(e, Op::I32Sub, Op::I64Sub);
    e.localSet(ptrLocal_);
    for (auto [l, off] : groupLayout_[g]) {
      e.localGet(ptrLocal_);
      e.memoryOp(loadOf(localTypes_[l]), target_.memory, alignLog2Of(localTypes_[l].byteSize()), off);
      e.localSet(l);
    }
    storeCurrentFromPtr(e, 0);
    e.br(done);
  }
  e.end();  // if
}

void Instrumenter::emitUnwindHandler(CodeEmitter& e) {
  // On the stack: the id of the site that is unwinding.
  e.localSet(resumeLocal_);
  e.globalGet(target_.stateGlobal);
  e.i32Const(1);
  e.op(Op::I32Ne);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  e.op(Op::Unreachable);  // a call returned while rewinding: the runtime skipped stop_rewind
  e.end();
  loadCurrent(e);
  e.localSet(ptrLocal_);
  std::vector<uint32_t> groupLabels(groups_.size());
  for (size_t g = groups_.size(); g-- > 0;) {
    groupLabels[g] = e.freshLabel();
    e.block(groupLabels[g]);
  }
  e.localGet(resumeLocal_);
  e.i32Const(1);
  e.op(Op::I32Sub);
  std::vector<uint32_t> table;
  for (const auto& s : sites_) table.push_back(groupLabels[s.group]);
  table.push_back(table.back());
  e.brTable(table);
  for (size_t g = 0; g < groups_.size(); g++) {
    e.end();
    const uint32_t bytes = groupBytes_[g];
    if (target_.boundsCheck) {
      // end - current < bytes: the frame does not fit; trap before writing anything.
      loadEnd(e);
      e.localGet(ptrLocal_);
      addrOp(e, Op::I32Sub, Op::I64Sub);
      addrConst(e, bytes);
      addrOp(e, Op::I32LtU, Op::I64LtU);
      e.open(CodeEmitter::make(Op::If), e.freshLabel());
      e.op(Op::Unreachable);
      e.end();
    }
    for (auto [l, off] : groupLayout_[g]) {
      e.localGet(ptrLocal_);
      e.localGet(l);
      e.memoryOp(storeOf(localTypes_[l]), target_.memory, alignLog2Of(localTypes_[l].byteSize()), off);
    }
    e.localGet(ptrLocal_);
    e.localGet(resumeLocal_);
    e.memoryOp(Op::I32Store, target_.memory, 2, bytes - 4);
    storeCurrentFromPtr(e, bytes);
    for (ValType r : type_.results) e.zero(r);
    e.op(Op::Return);
  }
}

FunctionInstrumentation Instrumenter::run() {
  FunctionCode fc = readFunctionCode(m_.bodyBytes(fn_), fn_.replaced ? 0 : fn_.body.begin);
  code_ = decodeAll(fc.code, fc.codeOffset, pools_);
  localTypes_ = type_.params;
  localTypes_.insert(localTypes_.end(), fc.locals.begin(), fc.locals.end());
  numOriginalLocals_ = static_cast<uint32_t>(localTypes_.size());
  numDeclared_ = fc.locals.size();
  for (ValType r : type_.results)
    if (r.isRef() && !r.nullable)
      unsupported("a pausable function returning a non-nullable reference", fc.codeOffset);

  cs_ = analyzeControl(code_, pools_);
  findSites();
  FunctionInstrumentation out;
  if (sites_.empty()) return out;  // every pausable call is unreachable: leave it as it is
  planSites();

  std::vector<uint32_t> points;
  for (const auto& s : sites_) points.push_back(s.landing);
  liveAtSite_ = liveLocalsAt(code_, pools_, cs_, numOriginalLocals_, points);

  resumeLocal_ = addLocal(ValType::i32());
  ptrLocal_ = addLocal(target_.memory64 ? ValType::i64() : ValType::i32());

  // The body first (it decides the temps), then the frames, then assemble around it.
  CodeEmitter body(pools_, static_cast<uint32_t>(code_.size()) + 1);
  unwindLabel_ = body.freshLabel();
  emitBody(body);
  computeFrames();

  // Assemble: prologue; block $unwind (result i32) { body; return }; unwind handler; end.
  CodeEmitter prologue(pools_, body.nextLabel());
  emitPrologue(prologue);
  CodeEmitter whole(pools_, prologue.nextLabel());
  whole.append(prologue);
  BlockType yieldsId;
  yieldsId.kind = BlockType::Value;
  yieldsId.value = ValType::i32();
  whole.block(unwindLabel_, yieldsId);
  whole.append(body);
  whole.op(Op::Return);
  whole.end();
  emitUnwindHandler(whole);
  whole.end();  // the function

  CodePools outPools;
  std::vector<Instr> outCode = whole.finish(outPools);
  std::vector<ValType> declared(localTypes_.begin() + static_cast<std::ptrdiff_t>(type_.params.size()),
                                localTypes_.end());
  out.body = encodeFunctionBody(declared, outCode, outPools);
  out.callSites = static_cast<uint32_t>(sites_.size());
  for (const auto& s : sites_) {
    out.frameBytes.push_back(groupBytes_[s.group]);
    out.maxFrameBytes = std::max(out.maxFrameBytes, groupBytes_[s.group]);
  }
  return out;
}

}  // namespace

FunctionInstrumentation instrumentFunction(const Module& module, const CallGraph& graph,
                                           const Pausability& pausability,
                                           const InstrumentTarget& target, uint32_t definedIndex) {
  Instrumenter instrumenter(module, graph, pausability, target, definedIndex);
  return instrumenter.run();
}

}  // namespace asyncify
