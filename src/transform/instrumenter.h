// The state of instrumenting one function, shared by the files that implement its steps:
// function_instrumenter.cpp (finding and planning call sites, the whole run), rewind_paths.cpp
// (skip blocks, dispatch and landings on the way to a call site), loop_copies.cpp (rewind-only
// copies of small loops) and frame_code.cpp (saving and restoring frames). The design is
// described at the top of function_instrumenter.cpp.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "asyncify/analysis/control_structure.h"
#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"
#include "asyncify/validate/validator.h"
#include "buffer_code.h"
#include "code_emitter.h"
#include "frame_helpers.h"
#include "function_instrumenter.h"
#include "instruction_properties.h"

namespace asyncify::instrumenting {

using CS = ControlStructure;
constexpr uint32_t kNone = UINT32_MAX;
// `global.get` of kFrameLocalPlaceholder + L reads the scratch global holding local L's saved
// value; resolved once the frame layout is known.
constexpr uint32_t kFrameLocalPlaceholder = 0xC0000000u;
// Frames restored through scratch globals use helpers, whose parameters engines cap at 1000.
constexpr size_t kMaxScratchAssumed = 200;
// Ids per unwind block level: what a one-byte signed constant reaches, less the checks' bias.
constexpr uint32_t kIdsPerUnwindLevel = 128;
constexpr size_t kMaxHelperParams = 999;
// Frames of recursive functions with at most this many slots go through one helper each way
// even when they hold several kinds (see HelperGroup): a deep stack pays the extra calls of
// saving by kind once per frame, and small frames are where a call weighs most.
constexpr size_t kMaxWholeRecursiveFrame = 8;

// References are parked in tables while unwound; the frame holds their i32 slot.
inline ValType::Kind frameKind(ValType t) {
  return t.isRef() ? ValType::I32 : t.kind;
}

// A bound on work that grows with a product of a function's dimensions (operand-stack depth
// times call sites and the constructs around them). Real code stays far below it: at most
// 13,000 stack values recorded in one function of the largest modules tried (binaryen.js, swc,
// CanvasKit, esbuild). Past it a function is refused with a clear error instead of minutes of
// work and gigabytes of memory.
constexpr uint64_t kMaxRecordedStackValues = 250'000;
constexpr uint64_t kMaxRecordedStackValuesPerInstr = 8;
// Instructions walked back from a target looking for values to rematerialize (real code needs
// a few dozen at most); values further back are spilled.
constexpr uint32_t kMaxRematerializationScan = 1024;

class StackRecorder final : public StackObserver {
 public:
  explicit StackRecorder(size_t n)
      : height(n, 0), frameBase(n, 0), unreachable(n, 0), wantTypes(n, 0) {}
  void beforeInstr(size_t i, const Instr&, std::span<const ValType> stack, size_t base,
                   bool unr) override {
    height[i] = static_cast<uint32_t>(stack.size());
    frameBase[i] = static_cast<uint32_t>(base);
    unreachable[i] = unr;
    if (!wantTypes[i]) return;
    recorded += stack.size();
    if (recorded > typeBudget) {
      if (overBudgetAt == kNone) overBudgetAt = static_cast<uint32_t>(i);
      return;
    }
    types[i].assign(stack.begin(), stack.end());
  }
  std::vector<uint32_t> height, frameBase;
  std::vector<uint8_t> unreachable, wantTypes;
  std::unordered_map<size_t, std::vector<ValType>> types;
  uint64_t typeBudget = UINT64_MAX, recorded = 0;
  uint32_t overBudgetAt = kNone;  // the first instruction whose types were not recorded
};

struct Site {
  uint32_t index = 0;     // the call instruction
  uint32_t id = 0;        // resume id (see planSites)
  uint32_t landing = 0;   // where its skip block ends and operands are spilled
  uint32_t argCount = 0;  // operands the call consumes
  bool spillArgs = true;  // false: arguments are recomputed by pure code after the landing
  // Followed by `unreachable`, outside any try: a rewind calls the callee again from the
  // prologue instead of finding its way here (see planRecalls).
  bool recalled = false;
  // Calls to instrumented functions: the callee (kNone: an indirect call that reaches only
  // those), and per argument whether it restores the argument from its own frame (so a spilled
  // copy is not saved) and, when recomputed, the locals an exact rebuild reads (nullopt: not
  // exact).
  uint32_t callee = 0;
  std::vector<bool> argIgnored;
  std::vector<std::optional<std::vector<uint32_t>>> argSources;
};

struct PathConstruct {
  uint32_t lo = kNone, hi = 0;       // resume ids inside
  uint32_t hiThen = 0;               // last id in the then-arm (if), lo - 1 when none
  uint32_t condLocal = kNone;        // for if: the arm selector
  std::vector<uint32_t> belowTemps;  // temps holding values below it (released at its end)
  std::vector<uint32_t> belowSaved;  // what its inner sites must save to rebuild those values
  bool condRematerialized = false;   // the condition is reloaded from a local, not a selector
  // The selector needs no setting while rewinding: it is the resume id (never zero) for an if
  // whose sites are all in its then-arm, or a local that only normal-path landings write (so
  // zero in a rewinding activation) for one whose sites are all in its else-arm.
  bool armImplied = false;
  // The condition is computed again on rewind (see planRecomputedConditions): the if's landing
  // is where the condition starts, and it reads these locals.
  bool condRecomputed = false;
  uint32_t conditionStart = kNone;
  std::vector<uint32_t> conditionReads;
  // Legacy try: resume ids per arm (0 the body, k the k-th handler; lo > hi when none), and the
  // locals that keep a handler's payload when the handler rethrows after a pause.
  std::vector<std::pair<uint32_t, uint32_t>> armIds;
  std::vector<std::vector<uint32_t>> payloadLocals;
};

// A stack value below a target that is not spilled: its producer `local.get/tee L` is dropped
// and `local.get L` is emitted where the value is needed (L is unchanged until then and saved
// in the frames of the sites that need it), or its producer is a constant, emitted there again,
// or a pure expression of such locals and constants that cannot trap (`p + i * 4`), moved there
// (it computes the same value there, on the normal path as on rewind). An expression that
// loads (`fp = *hook`) moves only to its own call site's landing (see loadingExpressionStart):
// on rewind memory may hold something else, so the landing then picks the value the frame
// kept (`select` on the state) unless the rewinding callee ignores it; or to the landing of an
// `if` whose sites are all in its then-arm, as its condition or-ed with the state.
struct Remat {
  uint32_t producer = 0;        // the instruction leaving the value (an expression's last)
  uint32_t local = 0;           // kNone for a constant or an expression
  uint32_t lastClaimer = 0;     // the target (instruction index) that reloads it
  uint32_t first = 0;           // an expression's first instruction (else the producer)
  std::vector<uint32_t> reads;  // the locals an expression reads
  bool readsMemory = false;     // it loads (see above)
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
  // Whether instruction i is followed by `unreachable` (a call there never returns normally).
  bool followedByUnreachable(uint32_t i) const {
    return i + 1 < code_.size() && code_[i + 1].op == Op::Unreachable;
  }
  // Whether the pausable call at i can only come back to unwind (a return call's `return` comes
  // before any `unreachable` after it).
  bool comesBackOnlyToUnwind(uint32_t i) const {
    return followedByUnreachable(i) && !isReturnCall(code_[i].op);
  }
  void planRecalls();
  void planUnwindBranches();
  void emitRecalls(CodeEmitter& e);
  ValType storageType(ValType t) const {
    if (!t.isRef()) return t;
    t.nullable = true;
    if (!typedRefs_ && t.heap.isIndex()) t.heap = HeapType{HeapType::Func};
    return t;
  }
  // Whether a value of type `t` read from a (nullable) storage local needs ref.as_non_null.
  bool needsNonNull(ValType t) const { return typedRefs_ && t.isRef() && !t.nullable; }
  void unwindingResult(CodeEmitter& e, ValType r);
  std::optional<StandIn> standIn(ValType r) const;
  uint32_t argCountOf(const Instr& ins) const;
  const std::vector<bool>& paramsGivenBack(uint32_t function) const;
  void findSites();
  uint32_t armOf(uint32_t parent, uint32_t index) const;
  std::optional<uint32_t> recomputableStart(
      uint32_t at, uint32_t need,
      const std::function<bool(uint32_t, const Recomputable&)>& accept) const;
  void planSites();
  // Adds resume ids lo..hi, found inside `child`, to the path construct c (child's parent).
  void includeInPath(uint32_t c, uint32_t child, uint32_t lo, uint32_t hi);
  std::optional<std::vector<uint32_t>> rebuildsSafely(
      uint32_t from, uint32_t to, const std::vector<bool>& ignored,
      std::vector<std::optional<std::vector<uint32_t>>>* exactValues = nullptr) const;
  void planRecomputedConditions();
  void planRematerialization();
  // Whether original local `local` is written by an instruction in (from, to].
  bool writtenIn(uint32_t local, uint32_t from, uint32_t to) const;
  // A rematerialized producer that emits nothing where it stood (a `local.tee` keeps its write).
  bool rematerialized(uint32_t i) const { return remat_.count(i) || rematMember_.count(i); }
  bool emitsNothing(uint32_t i) const { return rematerialized(i) && code_[i].op != Op::LocalTee; }
  bool steadyGlobal(uint32_t g) const {
    return !m_.globalType(g).mutable_ ||
           (target_.steadyGlobals && g < target_.steadyGlobals->size() &&
            (*target_.steadyGlobals)[g]);
  }
  std::optional<uint32_t> loadingExpressionStart(uint32_t last, uint32_t landing, uint32_t end,
                                                 std::vector<uint32_t>& reads) const;
  // Whether an argument slot `k` of site `s` (landing stack height `top`) is one its rewinding
  // callee ignores.
  bool argIgnoredAt(const Site& s, uint32_t top, uint32_t k) const {
    const uint32_t argsFrom = s.spillArgs ? top - s.argCount : top;
    return k >= argsFrom && !s.argIgnored.empty() && s.argIgnored[k - argsFrom];
  }
  // Undoes the moves of loading expressions to their targets where they cost bytes.
  void keepProfitableLoadMoves();
  std::optional<uint32_t> pureExpressionStart(uint32_t last, uint32_t end,
                                              std::vector<uint32_t>& reads,
                                              bool loads = false) const;
  // Where a target ends: a site at its call, a construct at its `end`.
  uint32_t endOf(const Target& t) const { return t.isSite ? t.index : cs_.endOf[t.index]; }
  // Where a target's skip block ends and the values below it are spilled.
  uint32_t landingOf(const Target& t) const {
    if (t.isSite) return sites_[siteAt_[t.index]].landing;
    const PathConstruct& pc = path_.at(t.index);
    return pc.condRecomputed ? pc.conditionStart : t.index;
  }
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
  bool everyTurnCalls(uint32_t loop) const;
  bool recursesHere(const Instr& call) const;
  void dropFrame(CodeEmitter& body);
  void dropTailCheck(CodeEmitter& body);
  void dropSiteId(CodeEmitter& body);
  void carryValueAsId();
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
  uint32_t pastEmptyPrefix(uint32_t from, uint32_t to) const;
  bool sequenceTested(uint32_t construct, uint32_t arm);
  std::pair<uint32_t, uint32_t> idRangeOf(const Target& t) const;  // resume ids it holds
  // Dispatch costs (see chainIsSmaller): one comparison of the resume id, a chain of them over
  // `targets`, a table over ids lo..hi.
  size_t comparisonBytes(uint32_t id) const;
  size_t chainBytes(const std::vector<Target>& targets, bool fallThrough) const;
  // A br_table over resume ids lo..hi whose first and last runs of one label are this long:
  // the ids it lists (base..end-1), which end's label is the default, its bytes.
  struct IdTableShape {
    uint32_t base, end;
    bool defaultIsFirst, offset;
    size_t bytes;
  };
  IdTableShape shapeIdTable(uint32_t lo, uint32_t hi, uint32_t firstRun, uint32_t lastRun,
                            size_t targets) const;
  size_t tableBytes(const std::vector<Target>& targets) const;
  bool chainIsSmaller(const std::vector<Target>& targets, bool fallThrough) const;
  bool absorbsTests(uint32_t start);
  bool hoistableBlock(const Target& t, uint32_t sequenceStart) const;
  bool landsRightAfter(uint32_t construct, const Target& t) const;
  // Whether target t's landing moves operand-stack values into locals (see emitLanding).
  bool spillsAtLanding(const Target& t) const;
  // `local.get $resume; i32.const above; i32.gt_u; br_if label`.
  void branchIfResumeAbove(CodeEmitter& e, uint32_t above, uint32_t label);
  // Pushes the resume id: from the local, or from the rewinding flag (see resumeFromFlag_).
  void loadResume(CodeEmitter& e);
  // Takes the restored id from the stack to where the body reads it (the local, the flag, both).
  void storeResume(CodeEmitter& e);
  // Whether a dispatch in `construct` may make its `tests` comparisons on the id in the
  // rewinding flag, with no state test, where the resume local may be non-zero on the normal
  // path (see resumeBelowIdsAt): the comparisons run each time the code does.
  bool flagDispatchAt(uint32_t construct, size_t tests) const;
  // The innermost loop whose body holds `construct` (itself, if a loop), or kNone.
  uint32_t loopAround(uint32_t construct) const;
  // Emits the tests handed down and this dispatch's comparisons, each leading to a later target,
  // with no state test in front, where the resume id they read can do without one (see
  // resumeBelowIdsAt, flagDispatchAt) and a chain is the smallest dispatch; returns whether it
  // did.
  bool emitChainWithoutStateTest(CodeEmitter& e, uint32_t construct, uint32_t sequenceStart,
                                 const std::vector<Target>& targets,
                                 const std::vector<uint32_t>& skip);
  void emitDispatch(CodeEmitter& e, const std::vector<Target>& targets,
                    const std::vector<uint32_t>& skip, bool fallThrough = false);
  // Tests handed down by enclosing dispatches: resume id in (above, upTo] -> label.
  struct PendingTest {
    uint32_t above, upTo, label;
  };
  static bool tableOffset(uint32_t lo);
  // br_table on the resume id: labels[k] for id lo + k, shaped by shapeIdTable (`targets`
  // labels in all, for the cost of each entry).
  void emitIdTable(CodeEmitter& e, uint32_t lo, std::vector<uint32_t> labels, size_t targets);
  std::vector<uint32_t> combinedSlots(const std::vector<Target>& targets,
                                      const std::vector<PendingTest>& pending) const;
  void emitArmSelectors(CodeEmitter& e, const std::vector<Target>& targets);
  // Whether one table over the pending tests and these targets' ids is smaller than both on their
  // own, less `separateSaves` bytes.
  bool combinedTableIsSmaller(const std::vector<Target>& targets, bool fallThrough,
                              const std::vector<PendingTest>& pending,
                              size_t separateSaves = 0) const;
  // Whether the resume local, at instruction `at` in `construct` on the normal path, is zero or
  // an id below those of every site from there on.
  bool resumeBelowIdsAt(uint32_t construct, uint32_t at) const;
  bool emitCombinedTable(CodeEmitter& e, const std::vector<Target>& targets,
                         const std::vector<uint32_t>& skip, bool fallThrough,
                         const std::vector<PendingTest>& pending);
  uint32_t openRewindOnlySequence(CodeEmitter& e, uint32_t construct);
  void enterPathConstruct(CodeEmitter& e, uint32_t start);
  void emitHandlerReentry(CodeEmitter& e, uint32_t tryStart);
  void emitLanding(CodeEmitter& e, const Target& t);
  void emitCopied(CodeEmitter& e, size_t i);
  void callHelper(CodeEmitter& e, HelperUse use);
  void callPartHelper(CodeEmitter& e, HelperGroup& group, HelperUse use);
  void finishGroup(HelperGroup group);
  // The rewind prologue's `if` goes here, at the end of `e` so far: the code emitted next is
  // its then-arm (after the frame is restored), and the body closes it (see emitPrologue).
  void placePrologue(CodeEmitter& e);
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
  // Address arithmetic in the memory's address type (see BufferCode).
  void addrConst(CodeEmitter& e, uint64_t v) { BufferCode{e, target_}.constant(v); }
  void addrOp(CodeEmitter& e, Op op32, Op op64) { BufferCode{e, target_}.op(op32, op64); }
  void loadCurrent(CodeEmitter& e) { BufferCode{e, target_}.loadCurrent(); }
  void loadEnd(CodeEmitter& e) { BufferCode{e, target_}.loadEnd(); }
  void storeCurrent(CodeEmitter& e) { BufferCode{e, target_}.storeCurrent(); }
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
  std::vector<uint32_t> siteAt_;              // per instruction: index into sites_, or kNone
  std::vector<uint32_t> landingAt_;           // per instruction: site whose landing is here
  std::map<uint32_t, uint32_t> conditionAt_;  // recomputed condition's start -> its if
  std::map<uint32_t, PathConstruct> path_;    // by construct start
  std::map<std::pair<uint32_t, uint32_t>, std::vector<Target>> sequences_;
  std::map<uint32_t, std::vector<uint32_t>> siteTemps_;  // site -> temps of its own spill
  std::map<uint32_t, std::vector<uint32_t>> siteUnsavedTemps_;

  std::map<std::pair<uint8_t, uint32_t>, std::vector<uint32_t>> freeTemps_;  // by type
  std::vector<ValType> tempRefTypes_;         // reference types of temps, for their pool keys
  std::vector<ValType> parked_;               // nullable reference types parked while unwound
  std::map<uint32_t, size_t> payloadPushed_;  // try start -> payload locals kept by its handler
  bool usesResumeTag_ = false;
  std::vector<uint64_t> hostCatchAllTraps_;      // see FunctionInstrumentation::hostCatchAllTraps
  std::vector<ValType> valuelessResults_;        // see FunctionInstrumentation::valuelessResults
  std::map<uint32_t, uint32_t> hoisted_;         // block opened before its prefix -> prefix start
  std::set<uint32_t> emittedEarly_;              // statements moved ahead of their sequence's test
  std::vector<bool> inFrame_;                    // original locals a site may need restored
  std::vector<std::vector<uint32_t>> writesOf_;  // per local: instructions writing it, in order
  std::vector<bool> givenBack_;     // per original local: a rewind gets it back from the caller
  std::set<uint32_t> forcedSaved_;  // put back after re-running: always in the frame
  bool scratchRestore_ = false;     // frames are restored through scratch globals
  bool inlineFrames_ = false;       // frames are saved and restored without helpers
  std::map<uint32_t, uint32_t> shadowOf_;  // local -> its copy as restored (see openSequence)
  size_t prologueAt_ = SIZE_MAX;           // where the body takes the rewind prologue, if inside it
  uint32_t prologueLabel_ = 0;
  std::set<uint32_t> relaxed_;         // declared non-nullable locals made nullable
  std::vector<uint32_t> activeBelow_;  // temps of enclosing path constructs, while emitting
  std::vector<uint32_t> liveAtSites_;  // original locals live at any landing
  std::vector<uint32_t> savedTemps_;   // spilled operands in the frame (unsorted, repeats)
  uint64_t liveAtCalls_ = 0;           // see FunctionInstrumentation::liveAtCalls

  uint32_t resumeLocal_ = 0, ptrLocal_ = 0;
  // The first if whose landing sets the resume local on the normal path (see armImplied).
  uint32_t firstResumeWrite_ = kNone;
  uint32_t unwindLabel_ = 0;
  // Where each state check's `i32.const id` and the `drop` after its br_if are in the body, in
  // order (the body is only appended to while they are recorded).
  std::vector<size_t> idCodeAt_;
  // One pausable call and nothing to save: no frame at all (see dropFrame).
  bool frameless_ = false;
  // ...and nothing runs after that call but the function's return: no unwind block either
  // (see dropTailCheck).
  bool checkless_ = false;
  // One call to resume at: frames and checks carry no site id (see dropSiteId).
  bool idless_ = false;
  // The saved i32 local that takes the id's place in a helper's signature (see carryValueAsId).
  std::optional<uint32_t> idCarrier_;
  // Calls that never return normally (followed by `unreachable`) leave for the unwind block by a
  // plain `br`: only an unwind brings them back, and one state test traps in place of their
  // `unreachable` if they return normally after all (see planUnwindBranches): the handler's,
  // or with `saveTrapsWhenNormal_` the save helpers'.
  bool unwindsByBranch_ = false;
  bool saveTrapsWhenNormal_ = false;          // see FunctionInstrumentation::savesTrapWhenNormal
  uint32_t skippedUnreachable_ = UINT32_MAX;  // the `unreachable` a branch above stands for
  bool bodyReadsResume_ = false;  // a dispatch reads the resume id (else no one needs it)
  // Dispatches that read the resume id from the rewinding flag (see
  // InstrumentTarget::rewindingGlobal) instead of the local: while emitting one, and any.
  bool resumeFromFlag_ = false;
  bool bodyReadsResumeFlag_ = false;
  std::vector<std::pair<uint32_t, uint32_t>> layout_;  // saved (local, offset)
  std::vector<bool> padding_;  // layout entries that only round the signature up
  FrameSignature signature_;
  uint32_t frameBytes_ = 4;
  bool useHelpers_ = true;
  bool byKind_ = false;                    // helpers per kind of value (see HelperGroup)
  bool i32PaddedLater_ = false;            // the i32 values are not padded here (see computeFrames)
  std::vector<uint32_t> i32GroupCalls_;    // helper calls whose i32 values are padded later
  std::vector<HelperUse> helpers_;         // helper calls emitted, by placeholder slot
  std::vector<HelperGroup> helperGroups_;  // frames saved or restored by kind
  std::vector<FuncType> blockTypes_;       // block types to intern, by placeholder slot
  std::set<uint32_t> withoutSkip_;         // targets reached without a skip block
  // Tests (resume id above `first` -> branch to `second`) that a dispatch handed down to the
  // dispatch of construct pendingFor_'s body (see openSequence).
  std::vector<PendingTest> pendingTests_;
  std::vector<uint32_t> recalls_;  // callees of recalled sites; index + recallIdBase_ = site id
  uint32_t recallIdBase_ = 0;      // the id of the first recalled callee (see planSites)
  uint32_t firstNavigatedId_ = 1;  // the id of the first site that is not recalled
  // Subtracted from the id each state check pushes, added back by the unwind handler (see
  // planSites): one-byte constants reach ids up to 127 instead of 63.
  uint32_t checkIdBias_ = 0;
  // Unwind blocks nested in the outermost one, for ids from 128 * level (see planSites).
  uint32_t unwindLevels_ = 0;
  std::vector<uint32_t> unwindLevelLabels_;
  std::vector<uint32_t> navigatedSite_;  // its id - firstNavigatedId_ -> index into sites_
  std::vector<uint32_t> recallHelpers_;  // see FunctionInstrumentation::recallHelpers
  uint32_t pendingFor_ = kNone;
  // The end of the last target the pending tests lead to: guards that run ahead of the dispatch
  // taking them must hold until there (see openSequence).
  uint32_t pendingReach_ = 0;
  std::map<uint32_t, Remat> remat_;           // by producer instruction
  std::map<uint32_t, uint32_t> rematMember_;  // an expression's other instructions -> producer
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> rematSlot_;  // (target, slot) -> producer
  // Small loops on a rewind path are emitted twice (see emitCopiedLoop): loop start -> the
  // label of the block after both copies, kNone until that block is open.
  std::map<uint32_t, uint32_t> copiedLoops_;
  bool normalOnly_ = false;  // emitting a copied loop's normal-path body
  std::map<uint32_t, std::vector<uint32_t>> landingTemps_;  // target -> temps, for the 2nd copy
};

}  // namespace asyncify::instrumenting
