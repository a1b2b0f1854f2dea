#include "tail_calls.h"

#include "code_emitter.h"

namespace asyncify {

bool TailCallPlan::keeps(const Instr& call) const {
  if (call.op == Op::ReturnCall) return call.a < keptDirect.size() && keptDirect[call.a];
  if (call.op == Op::ReturnCallIndirect || call.op == Op::ReturnCallRef) {
    const uint32_t t = graph->canonicalType[call.a];
    return t < keptType.size() && keptType[t];
  }
  return false;
}

namespace {

// Every pausable tail call becomes call + return.
TailCallPlan keepingNone(const Module& m, const CallGraph& g) {
  const uint32_t numFuncs = m.numFunctions();
  TailCallPlan plan;
  plan.graph = &g;
  plan.tag.assign(numFuncs, 0);
  plan.handOver.resize(numFuncs);
  plan.keptDirect.assign(numFuncs, false);
  plan.keptType.assign(g.indirectCallersOf.size(), false);
  return plan;
}

}  // namespace

TailCallPlan planTailCalls(const Module& m, const CallGraph& g, const Pausability& p) {
  const uint32_t numFuncs = m.numFunctions();
  TailCallPlan plan = keepingNone(m, g);

  bool any = false;
  for (uint32_t f = 0; f < numFuncs; f++)
    any |= !g.tailCallees[f].empty() || !g.tailIndirectTypes[f].empty();
  if (!any) return plan;

  for (uint32_t f = 0; f < numFuncs; f++)
    plan.keptDirect[f] = p.instrumented(f) && zeroCallable(m.functionType(f));
  // Functions an indirect call through each canonical type may reach.
  std::vector<std::vector<uint32_t>> reachable(g.indirectCallersOf.size());
  for (uint32_t f = 0; f < numFuncs; f++) {
    if (!g.escapes[f]) continue;
    for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)]) reachable[t].push_back(f);
  }
  for (uint32_t t = 0; t < reachable.size(); t++) {
    bool kept = !g.foreignReferences;
    for (uint32_t c : reachable[t])
      if (p.callPauses(c) && !plan.keptDirect[c]) kept = false;
    plan.keptType[t] = kept;
  }

  // Kept, pausing tail edges between instrumented functions.
  std::vector<std::vector<uint32_t>> edges(numFuncs);
  for (uint32_t f = 0; f < numFuncs; f++) {
    if (!p.instrumented(f)) continue;
    for (uint32_t c : g.tailCallees[f])
      if (plan.keptDirect[c]) edges[f].push_back(c);
    for (uint32_t t : g.tailIndirectTypes[f]) {
      if (!p.indirectPauses(t, f) || !plan.keptType[t]) continue;
      for (uint32_t c : reachable[t])
        if (p.instrumented(c)) edges[f].push_back(c);
    }
  }

  // Hand-over sets: everything reachable through kept tail calls.
  std::vector<uint32_t> seen(numFuncs, UINT32_MAX), work;
  bool consistent = true;
  for (uint32_t f = 0; f < numFuncs && consistent; f++) {
    if (edges[f].empty()) continue;
    work.assign(edges[f].begin(), edges[f].end());
    seen[f] = f;
    for (uint32_t c : work) seen[c] = f;
    while (!work.empty()) {
      uint32_t c = work.back();
      work.pop_back();
      plan.handOver[f].push_back(c);
      for (uint32_t d : edges[c])
        if (seen[d] != f) {
          seen[d] = f;
          work.push_back(d);
        }
    }
    auto& list = plan.handOver[f];
    std::erase(list, f);
    std::sort(list.begin(), list.end());
    // Handing over tail-calls the target from here: its results must be exactly ours (types
    // merged by shape could differ in concrete reference types).
    for (uint32_t c : list)
      if (m.functionType(c).results != m.functionType(f).results) consistent = false;
  }

  std::vector<bool> takesPart(numFuncs, false);
  for (uint32_t f = 0; f < numFuncs; f++) {
    if (plan.handOver[f].empty()) continue;
    takesPart[f] = true;
    for (uint32_t c : plan.handOver[f]) takesPart[c] = true;
  }
  uint32_t nextTag = 1;
  for (uint32_t f = 0; f < numFuncs; f++)
    if (takesPart[f]) plan.tag[f] = nextTag++;
  if (nextTag >= (1u << (32 - TailCallPlan::kTagShift))) consistent = false;
  // Rare enough to give up on tail calls as a whole.
  return consistent ? plan : keepingNone(m, g);
}

}  // namespace asyncify
