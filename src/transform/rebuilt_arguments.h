// Parameters that come back by themselves on rewind.
//
// A rewind re-enters a function through the call that entered it: the instrumented caller lands
// on that call site again and rebuilds the arguments (recomputed from its own frame, or saved
// with it). A parameter the function never writes then holds on rewind what it held at the
// pause, and needs no room in the callee's frame. Its callers, which otherwise leave the
// arguments of an instrumented callee to the callee, then rebuild that one exactly.
//
// Not for functions the host or uninstrumented code may re-enter (exports, the start function,
// anything reachable indirectly from outside the module, callees of uninstrumented functions
// such as in-module runtimes): the ABI lets those be called again with any arguments. Not for
// functions a kept tail call hands over to either: a hand-over tail-calls them with placeholder
// arguments.
#pragma once

#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/module.h"
#include "tail_calls.h"

namespace asyncify {

// Per function index and parameter (empty where none is).
std::vector<std::vector<bool>> paramsGivenBackOnRewind(const Module& module, const CallGraph& graph,
                                                       const Pausability& pausability,
                                                       const TailCallPlan& tails);

}  // namespace asyncify
