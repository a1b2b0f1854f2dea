// Keeping tail calls tail calls.
//
// A pausable `return_call` whose every possible pausing callee is instrumented stays a real tail
// call: the caller's frame is gone when the callee unwinds, so the caller saves nothing. On
// rewind the caller is called again and must hand over to the function that left a frame. It
// tells by peeking at the site id on top of the buffer: ids of functions that take part in tail
// calls carry a per-function tag in their high 16 bits, so the caller can tell its own frame from
// one left by any function its tail calls can reach, and tail-calls that function directly
// (arguments are ignored while rewinding). Every function in between left no frame and needs no
// visit: a tail call would have replaced it anyway.
//
// Tail calls that may reach a pausing import or foreign code stay `call` + `return`: the import
// leaves no frame to peek at.
#pragma once

#include <cstdint>
#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/instr.h"
#include "asyncify/binary/module.h"

namespace asyncify {

struct TailCallPlan {
  static constexpr uint32_t kTagShift = 16;  // site ids of a tagged function: tag << 16 | n

  // Per function index: 0 for functions outside tail calls, else the tag of its site ids.
  std::vector<uint32_t> tag;
  // Per function index: instrumented functions a rewind may have to hand over to (reachable
  // through kept tail calls, the function itself excluded), in index order.
  std::vector<std::vector<uint32_t>> handOver;

  // Whether this pausable return_call* in `caller` stays a tail call.
  bool keeps(const Instr& call) const;

  std::vector<bool> keptDirect;  // per callee function index
  std::vector<bool> keptType;    // per canonical type
  const CallGraph* graph = nullptr;
};

TailCallPlan planTailCalls(const Module& module, const CallGraph& graph,
                           const Pausability& pausability);

}  // namespace asyncify
