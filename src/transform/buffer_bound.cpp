#include "buffer_bound.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "asyncify/binary/error.h"
#include "asyncify/binary/writer.h"

namespace asyncify {
namespace {

const char* roleName(Pausability::Role r) {
  switch (r) {
    case Pausability::Role::Plain:
      return "plain";
    case Pausability::Role::PausingImport:
      return "pausing-import";
    case Pausability::Role::Runtime:
      return "asyncify-runtime-import";
    case Pausability::Role::TopRuntime:
      return "top-most-runtime";
    case Pausability::Role::BottomRuntime:
      return "bottom-most-runtime";
    case Pausability::Role::Instrumented:
      return "instrumented";
  }
  return "?";
}

}  // namespace

std::optional<uint64_t> unwindBufferBound(const Module& m, const CallGraph& g, const Pausability& p,
                                          const std::vector<uint32_t>& frameBytes) {
  // Functions as analysed (helpers added since then are not part of the call graph).
  const uint32_t n = static_cast<uint32_t>(p.role.size());
  // Functions reachable by an indirect call through each canonical type.
  std::vector<std::vector<uint32_t>> byType(g.indirectCallersOf.size());
  for (uint32_t f = 0; f < n; f++)
    if (p.instrumented(f) && g.escapes[f])
      for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)]) byType[t].push_back(f);
  auto successors = [&](uint32_t f, std::vector<uint32_t>& out) {
    out.clear();
    for (uint32_t c : g.callees[f])
      if (p.instrumented(c)) out.push_back(c);
    for (uint32_t t : g.indirectTypes[f])
      if (p.indirectPauses(t, f)) out.insert(out.end(), byType[t].begin(), byType[t].end());
  };
  // Longest path by iterative depth-first search; a back edge means recursion.
  enum : uint8_t { White, Grey, Black };
  std::vector<uint8_t> color(n, White);
  std::vector<uint64_t> need(n, 0);
  uint64_t best = 0;
  std::vector<std::pair<uint32_t, size_t>> stack;
  std::vector<std::vector<uint32_t>> succ(n);
  for (uint32_t root = 0; root < n; root++) {
    if (!p.instrumented(root) || color[root] != White) continue;
    stack.push_back({root, 0});
    color[root] = Grey;
    successors(root, succ[root]);
    while (!stack.empty()) {
      auto& [f, next] = stack.back();
      if (next < succ[f].size()) {
        uint32_t c = succ[f][next++];
        if (color[c] == Grey) return std::nullopt;
        if (color[c] == White) {
          color[c] = Grey;
          successors(c, succ[c]);
          stack.push_back({c, 0});
        }
        continue;
      }
      uint64_t deepest = 0;
      for (uint32_t c : succ[f]) deepest = std::max(deepest, need[c]);
      need[f] = frameBytes[f] + deepest;
      best = std::max(best, need[f]);
      color[f] = Black;
      succ[f].clear();
      succ[f].shrink_to_fit();
      stack.pop_back();
    }
  }
  return best;
}

void writeReport(const std::string& path, const Module& m, const CallGraph& g, const Pausability& p,
                 const std::vector<uint32_t>& defined,
                 const std::vector<FunctionInstrumentation>& results,
                 const std::vector<uint32_t>& resultsMadeNullable) {
  const uint32_t numImported = m.numImportedFunctions();
  const uint32_t n = static_cast<uint32_t>(p.role.size());  // functions as analysed
  std::vector<uint32_t> frameBytes(n, 0);
  nlohmann::json functions = nlohmann::json::array();
  std::vector<const FunctionInstrumentation*> byFunction(n, nullptr);
  for (size_t k = 0; k < defined.size(); k++) {
    byFunction[numImported + defined[k]] = &results[k];
    frameBytes[numImported + defined[k]] = results[k].maxFrameBytes;
  }
  for (uint32_t f = 0; f < n; f++) {
    if (p.role[f] == Pausability::Role::Plain && f >= numImported) continue;
    nlohmann::json j;
    j["index"] = f;
    j["name"] = p.names[f];
    j["role"] = roleName(p.role[f]);
    if (p.role[f] == Pausability::Role::Instrumented || p.role[f] == Pausability::Role::TopRuntime)
      j["why"] = explainPausability(p, f);
    if (const auto* r = byFunction[f]) {
      j["pausableCallSites"] = r->callSites;
      j["frameBytes"] = r->frameBytes;
      j["maxFrameBytes"] = r->maxFrameBytes;
      j["rewindCopiedLoops"] = r->loopCopies;
      j["recomputedConditions"] = r->recomputedConditions;
      j["recalledCallSites"] = r->recalledSites;
      j["inlineFrames"] = r->inlineFrames;
      // Unwinding out of it traps: see FunctionInstrumentation::valuelessResults.
      if (!r->valuelessResults.empty()) j["unwindTraps"] = true;
    }
    if (std::find(resultsMadeNullable.begin(), resultsMadeNullable.end(), f) !=
        resultsMadeNullable.end())
      j["resultsMadeNullable"] = true;  // never returns normally (see never_returning.h)
    functions.push_back(std::move(j));
  }
  nlohmann::json report;
  report["functions"] = std::move(functions);
  report["instrumentedFunctions"] = defined.size();
  auto bound = unwindBufferBound(m, g, p, frameBytes);
  report["unwindBufferBound"] = bound ? nlohmann::json(*bound) : nlohmann::json(nullptr);
  report["recursion"] = !bound.has_value();
  std::string text = report.dump(2) + "\n";
  writeFileAtomically(path, std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace asyncify
