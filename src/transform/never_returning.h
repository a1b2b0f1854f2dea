// Pausable functions whose results include a type without values.
//
// A non-nullable reference to a bottom heap type (`(ref none)`, `(ref nofunc)`,
// `(ref noextern)`, `(ref noexn)`) has no value, so a function returning one never returns
// normally: it traps, throws or runs forever. While unwinding it must return all the same, and
// it has nothing to return. When only direct calls reach it (no table, no `ref.func`, no
// export), nothing outside the module sees its type, so such results become nullable: it returns
// null while unwinding. Every call to it is followed by `unreachable`, which keeps the caller
// valid where it used the non-nullable result; that code was dead already, since the call never
// came back normally.
#pragma once

#include <cstdint>
#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// Whether `t` has no values: a non-nullable reference to a bottom heap type.
bool isUninhabited(ValType t);

// Retypes the instrumented functions described above and patches every call to them. Returns
// the functions retyped (empty if none; the module is then untouched). Functions that a table,
// `ref.func` or an export reaches are left alone: unwinding out of them traps (the tool warns).
std::vector<uint32_t> retypeNeverReturning(Module& module, const CallGraph& graph,
                                           const Pausability& pausability);

}  // namespace asyncify
