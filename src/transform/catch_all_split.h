// Legacy catch_all handlers that pause and then rethrow, split by tag (see the .cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "asyncify/binary/instr.h"
#include "asyncify/binary/types.h"

namespace asyncify::instrumenting {

// More tags than this and the handler is left alone (the instrumenter then refuses it): each
// tag gets its own copy of the handler.
constexpr size_t kMaxSplitTags = 8;

struct TagSet {
  uint32_t count = 0;                                    // imported and defined
  std::function<std::vector<ValType>(uint32_t)> params;  // a tag's payload types
};

// Gives every legacy `catch_all` handler of `code` that may pause (`mayPause` on its calls) and
// rethrows the exception it caught a copy in a `catch $t` clause per tag that no earlier clause
// catches, placed before the catch_all.
void splitRethrowingCatchAll(std::vector<Instr>& code, const CodePools& pools, const TagSet& tags,
                             const std::function<bool(const Instr&)>& mayPause);

// Whether the `catch` clauses before `clauses[clauseIndex]` (a legacy try's clauses) catch every
// tag: a catch_all there then only ever catches exceptions from outside the module.
bool earlierClausesCatchAllTags(std::span<const Instr> code, std::span<const uint32_t> clauses,
                                size_t clauseIndex, uint32_t tagCount);

}  // namespace asyncify::instrumenting
