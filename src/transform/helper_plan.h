// Which frame helpers a module gets. Functions save and restore mixed frames one kind at a time
// (see HelperGroup); once every function is instrumented, each whole signature either gets a
// helper of its own, when enough calls share it to pay for its type and body, or keeps its
// parts, which frames of other signatures share.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "frame_helpers.h"
#include "function_instrumenter.h"

namespace asyncify {

// Frames saved through multi-value helpers also have their i32 values (which go with the id)
// fitted here to sizes chosen for the module: every size the module uses costs a pair of
// helpers, every slot of padding three bytes in a function (`i32.const 0` when saving, `drop`
// when restoring), every further call taking a run of the values (a secondary) two calls, and
// the sizes that cost least in total are found over the counts of all frames at once (see
// I32SizeChoice and frame_call_fit.h).
struct HelperPlan {
  // Per instrumented function, per helper placeholder slot: the helper that call goes to, or
  // none when the call goes away (an earlier part of a frame whose whole helper is used).
  std::vector<std::vector<std::optional<HelperUse>>> calls;
  // Per instrumented function: the i32 slots added to its frame (see i32GroupCalls).
  std::vector<uint32_t> i32Padding;
  // Per instrumented function: the i32 helper sizes that save the lowest of its frame's i32
  // values, bottom first, before the call that saves the rest with the id. Each takes one value
  // more than its size, in its id's slot.
  std::vector<std::vector<size_t>> i32Secondaries;
  // Per instrumented function, per placeholder slot of a part's call: the parts that take its
  // lowest values in calls of their own, bottom first (see frame_call_fit.h). The call itself
  // takes the rest.
  std::vector<std::map<uint32_t, std::vector<FrameSignature>>> partRuns;
  // Per instrumented function: the placeholder slots of f64 parts' calls that go to i64 part
  // helpers, each value reinterpreted on the way (where the module has those helpers anyway and
  // a pair of f64 helpers would cost more than the reinterpretations).
  std::vector<std::set<uint32_t>> reinterpretedParts;
};

// `m`: the module the helpers go to (after its functions; a type it has costs nothing).
HelperPlan planHelpers(const std::vector<FunctionInstrumentation>& results,
                       const InstrumentTarget& target, const Module& m);

// How the planned helpers chain (see HelperTail). A large save helper hands its last values to
// the helper of a shorter signature of the same kind, which pushes them below the others; a
// restore helper reads the frame as the save helper of its signature laid it out, handing over
// to the same shorter signature when the module restores one (unpack helpers never do: their
// scratch globals are numbered per whole signature). No chains where tail calls hand frames
// over (`handsOver`): a caller then reads whose frame is on top from the id in the buffer's
// last word (see TailCallPlan), which a chain leaves below.
struct HelperChains {
  std::map<HelperUse, std::optional<HelperTail>> tail;  // every helper
  // Restore and unpack helpers without a tail: the tails of their save helper's chain.
  std::map<HelperUse, std::vector<size_t>> savedBy;
  const std::vector<size_t>& layoutOf(const HelperUse& use) const;
};
// `index`: each helper's function index.
HelperChains chainHelpers(const std::map<HelperUse, uint32_t>& index, bool handsOver);

// Shared reserve and release functions (see FrameStackOps), each where the bytes it takes out
// of the helpers exceed its own; they would go at function index `next` and after.
FrameStackOps chooseFrameStackOps(const HelperChains& chains, const InstrumentTarget& target,
                                  uint32_t next, const std::function<uint32_t(uint32_t)>& scratch);

}  // namespace asyncify
