// Which globals hold one value whenever a pause or a rewind can happen.
#pragma once

#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// Per global index: immutable, or mutable but written by no one after instantiation: not
// imported or exported (the host could write it), and set by no code but the start function,
// which runs before anything can pause, cannot pause itself, is not exported and is called by
// nothing else (dynamic-linking modules fill their GOT globals that way). On rewind such a
// global reads what it read before the pause, so a load from an address built from it cannot
// trap then.
std::vector<bool> steadyGlobals(const Module& m, const CallGraph& graph,
                                const Pausability& pausability);

}  // namespace asyncify
