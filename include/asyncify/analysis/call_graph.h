// Who calls whom: direct calls, indirect calls by (canonical) function type, and which
// functions can be reached indirectly at all (their address escapes into a table or a
// reference). Built in one linear scan of all bodies.
#pragma once

#include <cstdint>
#include <vector>

#include "asyncify/binary/module.h"

namespace asyncify {

struct CallGraph {
  // Per function index (imports included; their lists are empty).
  std::vector<std::vector<uint32_t>> callees;        // direct, deduplicated
  std::vector<std::vector<uint32_t>> callers;        // reverse of callees
  std::vector<std::vector<uint32_t>> indirectTypes;  // canonical types called indirectly
  std::vector<bool> escapes;  // may be the target of call_indirect / call_ref
  // The subsets reached by return_call (direct) and return_call_indirect / return_call_ref.
  std::vector<std::vector<uint32_t>> tailCallees;
  std::vector<std::vector<uint32_t>> tailIndirectTypes;

  // Canonical id of each type index: equal function signatures share one id (reference types
  // naming concrete indices compare by shape, which can only merge more, never miss a match).
  std::vector<uint32_t> canonicalType;
  // For each canonical type: the defined functions that call indirectly through it.
  std::vector<std::vector<uint32_t>> indirectCallersOf;
  // Canonical types a function of a given type index may be called through (itself and its
  // declared supertypes).
  std::vector<std::vector<uint32_t>> matchingCanonicalTypes;

  // JavaScript can hand the module function references it did not create (an imported or
  // exported table, or a funcref crossing the boundary): indirect calls may reach foreign code.
  bool foreignReferences = false;
};

CallGraph buildCallGraph(const Module& module);

}  // namespace asyncify
