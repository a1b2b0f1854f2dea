// On rewind a legacy handler is re-entered by throwing its exception again from the start of its
// try (see emitHandlerReentry), and a handler that rethrows after a pause must rethrow the
// exception it first caught, so it keeps the payload. A catch_all handler has no payload to keep:
// what it caught is out of reach. So a catch_all handler that pauses and rethrows (a C++ cleanup
// pad whose destructor does I/O) is copied into a `catch $t` clause for each tag of the module
// that no earlier clause catches: the copy receives the payload, drops it as the catch_all did,
// and is resumed like any tagged handler. Only exceptions of tags from outside the module (a
// host's) still reach the catch_all; those cannot be thrown again, and rewinding into it traps.
#include "catch_all_split.h"

#include <algorithm>

#include "asyncify/analysis/control_structure.h"
#include "instruction_properties.h"

namespace asyncify::instrumenting {

using CS = ControlStructure;

namespace {

// Per tag: whether a `catch` clause before clauses[clauseIndex] catches it.
std::vector<bool> caughtBefore(std::span<const Instr> code, std::span<const uint32_t> clauses,
                               size_t clauseIndex, uint32_t tagCount) {
  std::vector<bool> caught(tagCount, false);
  for (size_t k = 0; k < clauseIndex; k++)
    if (code[clauses[k]].op == Op::Catch && code[clauses[k]].a < tagCount)
      caught[code[clauses[k]].a] = true;
  return caught;
}

// The tags that reach the try's trailing catch_all handler, if that handler needs splitting.
std::vector<uint32_t> tagsToSplitOff(std::span<const Instr> code, const CS& cs, uint32_t tryStart,
                                     uint32_t tagCount,
                                     const std::function<bool(const Instr&)>& mayPause) {
  const auto& clauses = cs.catchesOf[tryStart];
  if (clauses.empty() || code[clauses.back()].op != Op::CatchAll) return {};
  bool pauses = false, rethrows = false;
  for (uint32_t j = clauses.back() + 1; j < cs.endOf[tryStart]; j++) {
    if (isCallOp(code[j].op) && mayPause(code[j])) pauses = true;
    if (code[j].op == Op::Rethrow && cs.targetsOf(j)[0] == tryStart) rethrows = true;
  }
  if (!pauses || !rethrows) return {};
  const std::vector<bool> caught = caughtBefore(code, clauses, clauses.size() - 1, tagCount);
  std::vector<uint32_t> reaching;
  for (uint32_t t = 0; t < tagCount; t++)
    if (!caught[t]) reaching.push_back(t);
  if (reaching.size() > kMaxSplitTags) return {};
  return reaching;
}

}  // namespace

bool earlierClausesCatchAllTags(std::span<const Instr> code, std::span<const uint32_t> clauses,
                                size_t clauseIndex, uint32_t tagCount) {
  const std::vector<bool> caught = caughtBefore(code, clauses, clauseIndex, tagCount);
  return std::all_of(caught.begin(), caught.end(), [](bool c) { return c; });
}

void splitRethrowingCatchAll(std::vector<Instr>& code, const CodePools& pools, const TagSet& tags,
                             const std::function<bool(const Instr&)>& mayPause) {
  if (tags.count == 0 ||
      std::none_of(code.begin(), code.end(), [](const Instr& i) { return i.op == Op::CatchAll; }))
    return;
  // One try at a time, then the structure again: a handler may hold trys that need splitting
  // too, and each copy of it holds them as well.
  for (bool again = true; again;) {
    again = false;
    const CS cs = analyzeControl(code, pools);
    for (uint32_t s = 0; s < code.size() && !again; s++) {
      if (code[s].op != Op::Try) continue;
      const std::vector<uint32_t> reaching = tagsToSplitOff(code, cs, s, tags.count, mayPause);
      if (reaching.empty()) continue;
      const uint32_t catchAll = cs.catchesOf[s].back();
      const auto handler = code.begin() + catchAll + 1, handlerEnd = code.begin() + cs.endOf[s];
      std::vector<Instr> clauses;
      for (uint32_t t : reaching) {
        Instr clause;
        clause.op = Op::Catch;
        clause.a = t;
        clause.offset = code[catchAll].offset;  // errors name the catch_all
        clauses.push_back(clause);
        Instr drop;
        drop.op = Op::Drop;
        drop.offset = clause.offset;
        clauses.insert(clauses.end(), tags.params(t).size(), drop);
        clauses.insert(clauses.end(), handler, handlerEnd);
      }
      code.insert(code.begin() + catchAll, clauses.begin(), clauses.end());
      again = true;
    }
  }
}

}  // namespace asyncify::instrumenting
