// Which frame helpers a module gets. Functions save and restore mixed frames one kind at a time
// (see HelperGroup); once every function is instrumented, each whole signature either gets a
// helper of its own, when enough calls share it to pay for its type and body, or keeps its
// parts, which frames of other signatures share.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "frame_helpers.h"
#include "function_instrumenter.h"

namespace asyncify {

// Frames saved through multi-value helpers also have their i32 values (which go with the id)
// padded here, to sizes chosen for the module: every size the module uses costs a pair of
// helpers, every slot of padding three bytes in a function (`i32.const 0` when saving, `drop`
// when restoring), and the sizes that cost least in total are found over the counts of all
// frames at once (see chooseI32Sizes).
struct HelperPlan {
  // Per instrumented function, per helper placeholder slot: the helper that call goes to, or
  // none when the call goes away (an earlier part of a frame whose whole helper is used).
  std::vector<std::vector<std::optional<HelperUse>>> calls;
  // Per instrumented function: the i32 slots added to its frame (see i32GroupCalls).
  std::vector<uint32_t> i32Padding;
};

// `m`: the module the helpers go to (after its functions; a type it has costs nothing).
HelperPlan planHelpers(const std::vector<FunctionInstrumentation>& results,
                       const InstrumentTarget& target, const Module& m);

}  // namespace asyncify
