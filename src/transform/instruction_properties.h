// What the instrumenter needs to know about single instructions: which are calls, and which
// may run again on rewind (to rebuild a call's arguments, or ahead of a state test).
#pragma once

#include <optional>

#include "asyncify/binary/instr.h"
#include "asyncify/binary/module.h"

namespace asyncify::instrumenting {

bool isCallOp(Op op);
bool isReturnCall(Op op);
// The call that a return_call* becomes when it is not kept as a tail call.
Op plainCallOf(Op op);

// Code that may run again on rewind to rebuild a call's arguments: no side effects, no control
// flow, and no trap it could not have taken the first time. Loads qualify when their address is
// rebuilt from restored locals: memory never shrinks, so a load that did not trap before cannot
// trap now (its value may differ, which is fine for arguments the rewinding callee ignores).
// A `local.tee` qualifies too (writesLocal) when the value it writes is rebuilt exactly.
struct Recomputable {
  unsigned operands = 0;  // how many it consumes
  bool load = false;
  bool writesLocal = false;
};
std::optional<Recomputable> recomputable(Op op);

// Code that may run again on rewind before the state test that skips it: no effect but writes
// to locals, and no trap whatever the locals hold.
bool reexecutable(Op op);

// How many operands an instruction pops, when that is known without context; nullopt for
// control flow and anything else the rematerialization scan does not look through.
std::optional<unsigned> operandsConsumed(const Module& m, const Instr& ins);

}  // namespace asyncify::instrumenting
