#include "asyncify/analysis/steady_globals.h"

#include <cstdint>

#include "asyncify/binary/instr.h"

namespace asyncify {

std::vector<bool> steadyGlobals(const Module& m, const CallGraph& graph,
                                const Pausability& pausability) {
  const uint32_t numImported = m.numImportedGlobals();
  std::vector<bool> steady(m.numGlobals(), false);
  for (uint32_t g = numImported; g < steady.size(); g++) steady[g] = true;
  for (uint32_t g = 0; g < numImported; g++) steady[g] = !m.globalType(g).mutable_;
  // The start function may write them if it runs only as the start function, before any pause.
  constexpr uint32_t kNoStart = UINT32_MAX;
  uint32_t start = m.start.value_or(kNoStart);
  if (start != kNoStart && (graph.escapes[start] || !graph.callers[start].empty() ||
                            pausability.role[start] != Pausability::Role::Plain))
    start = kNoStart;
  for (const auto& e : m.exports) {
    if (e.kind == ExternKind::Global && e.index < steady.size() && m.globalType(e.index).mutable_)
      steady[e.index] = false;
    if (e.kind == ExternKind::Func && e.index == start) start = kNoStart;
  }
  CodePools pools;
  Instr ins;
  const uint32_t numImportedFunctions = m.numImportedFunctions();
  for (uint32_t d = 0; d < m.functions.size(); d++) {
    if (numImportedFunctions + d == start) continue;
    const Function& fn = m.functions[d];
    FunctionCode code = readFunctionCode(m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin);
    pools.clear();
    InstrReader reader(code.code, code.codeOffset, pools);
    while (!reader.atEnd()) {
      reader.next(ins);
      if (ins.op == Op::GlobalSet && ins.a < steady.size()) steady[ins.a] = false;
    }
  }
  return steady;
}

}  // namespace asyncify
