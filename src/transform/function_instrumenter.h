// Instruments one function so its frame can be unwound and rewound (see the design comment
// in function_instrumenter.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/analysis/recursion.h"
#include "asyncify/binary/instr.h"
#include "asyncify/binary/module.h"
#include "frame_helpers.h"
#include "stand_ins.h"
#include "tail_calls.h"

namespace asyncify {

// Recursive functions that keep at most this many locals save and restore them inline (see
// InstrumentTarget::inlineFrames): a helper call then costs as much as the values themselves,
// and the inline code is still short.
constexpr size_t kMaxInlineFrameValues = 4;
// Only on cycles of at most this many functions (a function calling itself, a parser's few
// mutually recursive rules): an inline frame costs some 90 bytes more than the helper calls,
// in every function of the cycle, while a deep stack through a long cycle spreads over all of
// them and gains no more per frame (swc: 2,148 functions with small frames on cycles of 9 to
// 272 functions took 160 KB more inline).
constexpr uint32_t kMaxInlineFrameCycle = 8;
// With --favor-speed, frames up to this many values, on any cycle: Node 20's V8 inlines no
// wasm call, and the helper calls (save, its reservation, restore) were half the cost of a
// pause with seven values per frame (depth 1000 in Node: 41-50 us through helpers, 23-24
// inline, Binaryen's 24). Wider frames spend their time in the loads and stores, not the calls.
constexpr size_t kMaxInlineFrameValuesForSpeed = 16;

// What every instrumented function shares: the globals and memory of the ABI.
struct InstrumentTarget {
  uint32_t stateGlobal = 0;
  uint32_t dataGlobal = 0;
  // A private flag, non-zero exactly while the state is "rewinding", kept by the ABI functions:
  // a prologue tests it in one instruction instead of comparing the state with 2. Not when the
  // state global is imported or exported (code outside may set the state). A rewinding prologue
  // may put its resume id there (never zero), for dispatches that then need no state test:
  // on the normal path the flag is zero (a rewind ends with stop_rewind).
  std::optional<uint32_t> rewindingGlobal;
  // Its counterpart, 1 exactly while the state is "normal" (same conditions).
  std::optional<uint32_t> runningGlobal;
  uint32_t memory = 0;
  bool memory64 = false;
  bool boundsCheck = true;
  // Whether saving a frame through the helpers traps while the state is normal (see
  // BufferCode::reserve): set once some function relies on it, after instrumenting.
  bool saveTrapsWhenNormal = false;
  // Restoring through helpers returns many values at once; only where the module or the
  // command line allows multi-value (toolchains that target MVP reject it in later passes).
  bool multiValue = false;
  // Small loops on a rewind path get a rewind-only copy of their body (faster, larger).
  bool loopCopies = true;
  const TailCallPlan* tails = nullptr;
  // The cycles of direct calls between instrumented functions.
  const DirectCallCycles* cycles = nullptr;
  bool recursive(uint32_t f) const { return cycles->recursive(f); }
  // Small frames of recursive functions are saved and restored inline rather than through
  // shared helpers: a deep stack repeats them thousands of times, and a helper call per frame
  // was measured to cost about a third of a pause (depth 1000: 16.9 -> 10.8 us in Node,
  // 13.9 -> 8.0 us in Chromium). By default only frames of a few values on short cycles
  // (kMaxInlineFrameValues, kMaxInlineFrameCycle); --favor-speed takes wider frames on any
  // cycle; --favor-size none.
  struct InlineFrameLimits {
    size_t values = 0;   // at most this many values in the frame (0: never inline)
    uint32_t cycle = 0;  // on a cycle of direct calls of at most this many functions
  } inlineFrames{kMaxInlineFrameValues, kMaxInlineFrameCycle};
  // Per function index and parameter: given back by the caller on rewind, not saved (see
  // rebuilt_arguments.h); and those that may be, once every caller is known to rebuild them.
  const std::vector<std::vector<bool>>* paramsGivenBack = nullptr;
  const std::vector<std::vector<bool>>* paramsMaybeGivenBack = nullptr;
  // Per canonical type: an indirect call through it rewinds only into functions that restore
  // all their parameters (see indirectArgumentsIgnored).
  const std::vector<bool>* indirectArgsIgnored = nullptr;
  // Per global index: holds one value whenever a pause can happen (see steady_globals.h).
  const std::vector<bool>* steadyGlobals = nullptr;
  // How an unwinding function makes the value it returns in place of a non-nullable reference
  // (see stand_ins.h), planned for every instrumented function's results.
  const StandIns* standIns = nullptr;
};

// How a caller could rebuild one argument of a call on rewind.
enum class ArgumentRebuild : uint8_t {
  No,          // it is not computed from locals alone (or the call is never rebuilt)
  FromFrame,   // from what the frame holds anyway, or from parameters that may be given back
  SavingMore,  // from locals the frame would have to hold in addition
};

struct FunctionInstrumentation {
  // The new body, not yet encoded: calls to frame helpers carry placeholders
  // (kHelperPlaceholder + index into `helpers`) until the helpers have indices.
  std::vector<Instr> code;
  CodePools pools;
  std::vector<ValType> declaredLocals;
  std::vector<HelperUse> helpers;
  std::vector<HelperGroup> helperGroups;  // calls of `helpers` that may become one (see there)
  // Calls of `helpers` (a frame's save and restore) whose trailing i32 values, with the id,
  // are not padded yet: planHelpers pads them.
  std::vector<uint32_t> i32GroupCalls;
  // Whether those i32 values may be saved by several helpers (see HelperPlan::i32Secondaries):
  // not in recursive functions, whose deep stacks would repeat the extra calls.
  bool i32Splittable = false;
  // Block types the module must gain (blocks whose type index is kTypePlaceholder + k).
  std::vector<FuncType> blockTypes;
  // Reference types whose values are parked (calls to kParkPlaceholder + 2k and + 2k + 1).
  std::vector<ValType> parkedTypes;
  // Throws carrying kResumeTagPlaceholder name the private tag that re-enters catch_all.
  bool usesResumeTag = false;
  // Offsets of catch_all clauses that only catch exceptions from outside the module and pause
  // before rethrowing: rewinding into one traps (see catch_all_split.cpp).
  std::vector<uint64_t> hostCatchAllTraps;
  // Its result types without values (no zero, no stand-in): something other than direct calls
  // reaches it (so they could not become nullable), it has nothing to return while unwinding,
  // and its unwind handler traps instead (see Instrumenter::unwindingResult). Empty: none.
  std::vector<ValType> valuelessResults;
  // Locals live at the pausable calls, summed over the calls (see warnAboutMerges).
  uint64_t liveAtCalls = 0;
  bool changed() const { return !code.empty() || !encoded.empty(); }
  // The body encoded with its placeholders still in: decoded instructions take ~30x the bytes,
  // so finished functions wait in this form until the helpers have indices.
  std::vector<uint8_t> encoded;
  void encode();
  uint32_t callSites = 0;               // pausable call sites kept (reachable)
  uint32_t loopCopies = 0;              // loops given a rewind-only copy of their body
  uint32_t recomputedConditions = 0;    // ifs whose condition is computed again on rewind
  uint32_t recalledSites = 0;           // calls made again from the prologue on rewind
  std::vector<uint32_t> recallHelpers;  // callees called through a zero-argument helper
  bool inlineFrames = false;            // frames saved and restored without helpers
  uint32_t maxFrameBytes = 0;           // the largest frame this function writes
  std::vector<uint32_t> frameBytes;     // per call site, in order
  // Its unwind handler leaves the trap for a call that never returns but did to the save
  // helpers (see InstrumentTarget::saveTrapsWhenNormal).
  bool savesTrapWhenNormal = false;
  // Per pausable call to an instrumented function: the callee, and per argument how a rewind
  // could rebuild it exactly (see rebuilt_arguments.h). Only while paramsMaybeGivenBack is set.
  std::vector<std::pair<uint32_t, std::vector<ArgumentRebuild>>> directCallArgs;
};

// Throws asyncify::Error naming the function and instruction for unsupported code.
FunctionInstrumentation instrumentFunction(const Module& module, const CallGraph& graph,
                                           const Pausability& pausability,
                                           const InstrumentTarget& target, uint32_t definedIndex);

}  // namespace asyncify
