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

// Per instrumented function, per helper placeholder slot: the helper that call goes to, or
// none when the call goes away (an earlier part of a frame whose whole helper is used).
using HelperCalls = std::vector<std::vector<std::optional<HelperUse>>>;

// `firstHelper`: the function index the helpers start at (for the size of a call).
HelperCalls planHelpers(const std::vector<FunctionInstrumentation>& results,
                        const InstrumentTarget& target, uint32_t firstHelper);

}  // namespace asyncify
