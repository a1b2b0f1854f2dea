#include "rebuilt_arguments.h"

#include <algorithm>

#include "asyncify/binary/instr.h"

namespace asyncify {

namespace {

// Whether every call that may re-enter `f` on rewind comes from an instrumented call site.
bool reenteredOnlyByCallSites(const Module& m, const CallGraph& g, const Pausability& p,
                              const TailCallPlan& tails, uint32_t f) {
  if (!p.instrumented(f) || tails.tag[f] != 0) return false;
  for (uint32_t c : g.callers[f])
    if (!p.instrumented(c)) return false;
  if (!g.escapes[f]) return true;
  // Reachable indirectly: from wasm code only when no reference crosses the boundary, and every
  // indirect call that may reach it is then a pausable call site of an instrumented function.
  if (g.foreignReferences) return false;
  for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)])
    for (uint32_t c : g.indirectCallersOf[t])
      if (!p.instrumented(c) || !p.indirectPauses(t, c)) return false;
  return true;
}

}  // namespace

std::vector<std::vector<bool>> paramsGivenBackOnRewind(const Module& m, const CallGraph& g,
                                                       const Pausability& p,
                                                       const TailCallPlan& tails) {
  const uint32_t numFuncs = m.numFunctions();
  const uint32_t numImported = m.numImportedFunctions();
  std::vector<bool> entry(numFuncs, false);
  for (const auto& e : m.exports)
    if (e.kind == ExternKind::Func && e.index < numFuncs) entry[e.index] = true;
  if (m.start && *m.start < numFuncs) entry[*m.start] = true;

  std::vector<std::vector<bool>> givenBack(numFuncs);
  CodePools pools;
  Instr ins;
  for (uint32_t f = numImported; f < numFuncs; f++) {
    const size_t numParams = m.functionType(f).params.size();
    if (numParams == 0 || entry[f] || !reenteredOnlyByCallSites(m, g, p, tails, f)) continue;
    auto& back = givenBack[f];
    back.assign(numParams, true);
    const Function& fn = m.functions[f - numImported];
    FunctionCode code = readFunctionCode(m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin);
    pools.clear();
    InstrReader reader(code.code, code.codeOffset, pools);
    while (!reader.atEnd()) {
      reader.next(ins);
      if ((ins.op == Op::LocalSet || ins.op == Op::LocalTee) && ins.a < numParams)
        back[ins.a] = false;
    }
  }
  return givenBack;
}

std::vector<bool> indirectArgumentsIgnored(const Module& m, const CallGraph& g,
                                           const Pausability& p,
                                           std::vector<std::vector<bool>>& givenBack) {
  const size_t types = g.indirectCallersOf.size();
  std::vector<bool> ignored(types, !g.foreignReferences);
  if (g.foreignReferences) return ignored;
  std::vector<size_t> candidates(types, 0);
  for (uint32_t f = 0; f < m.numFunctions(); f++) {
    if (!g.escapes[f] || !p.callPauses(f)) continue;
    for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)]) {
      if (!p.instrumented(f)) ignored[t] = false;
      candidates[t] += anyParamGivenBack(givenBack[f]);
    }
  }
  // A type's candidates keep their parameters given back unless the functions calling through
  // it outnumber them (each of those would save arguments that the candidates save now).
  for (size_t t = 0; t < types; t++)
    if (g.indirectCallersOf[t].size() <= candidates[t]) ignored[t] = false;
  for (uint32_t f = 0; f < m.numFunctions(); f++) {
    if (!g.escapes[f] || !anyParamGivenBack(givenBack[f])) continue;
    for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)])
      if (ignored[t]) givenBack[f].assign(givenBack[f].size(), false);
  }
  return ignored;
}

}  // namespace asyncify
