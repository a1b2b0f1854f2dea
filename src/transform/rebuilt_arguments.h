// Parameters that come back by themselves on rewind.
//
// A rewind re-enters a function through the call that entered it: the instrumented caller lands
// on that call site again and rebuilds the arguments (recomputed from its own frame, or saved
// with it). A parameter the function never writes then holds on rewind what it held at the
// pause, and needs no room in the callee's frame. Its callers, which otherwise leave the
// arguments of an instrumented callee to the callee, then rebuild that one exactly, saving
// what that takes: worth it where they have it anyway, or for a recursive function, whose
// levels each save less while a caller outside the recursion saves more once.
//
// Not for functions the host or uninstrumented code may re-enter (exports, the start function,
// anything reachable indirectly from outside the module, callees of uninstrumented functions
// such as in-module runtimes): the ABI lets those be called again with any arguments. Not for
// functions a kept tail call hands over to either: a hand-over tail-calls them with placeholder
// arguments.
#pragma once

#include <algorithm>
#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/module.h"
#include "tail_calls.h"

namespace asyncify {

inline bool anyParamGivenBack(const std::vector<bool>& params) {
  return std::find(params.begin(), params.end(), true) != params.end();
}

// Per function index and parameter (empty where none is).
std::vector<std::vector<bool>> paramsGivenBackOnRewind(const Module& module, const CallGraph& graph,
                                                       const Pausability& pausability,
                                                       const TailCallPlan& tails);

// Per canonical type: whether the arguments of an indirect call through it (all but the table
// index or reference) are ignored on rewind. A rewind calls again the function that paused,
// which restores its own parameters when it is instrumented and none is given back. So when no
// reference crosses the module boundary and every function of a matching type that is
// reachable indirectly and may pause is instrumented (no import, no in-module runtime),
// arguments need not come back exactly, provided those functions get no parameter back: where
// a type is chosen, the candidates of its functions (`givenBack`, from paramsGivenBackOnRewind)
// are withdrawn. A type is chosen when the functions calling through it outnumber its
// candidates.
std::vector<bool> indirectArgumentsIgnored(const Module& module, const CallGraph& graph,
                                           const Pausability& pausability,
                                           std::vector<std::vector<bool>>& givenBack);

}  // namespace asyncify
