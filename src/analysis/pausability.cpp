#include "asyncify/analysis/pausability.h"

#include <algorithm>
#include <ostream>
#include <set>

#include "asyncify/analysis/name_match.h"
#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"

namespace asyncify {
namespace {

using Role = Pausability::Role;

RuntimeImport classifyRuntimeImport(const Import& imp) {
  if (imp.module != "asyncify") return RuntimeImport::None;
  if (imp.name == "start_unwind") return RuntimeImport::StartUnwind;
  if (imp.name == "stop_unwind") return RuntimeImport::StopUnwind;
  if (imp.name == "start_rewind") return RuntimeImport::StartRewind;
  if (imp.name == "stop_rewind") return RuntimeImport::StopRewind;
  if (imp.name == "get_state") return RuntimeImport::GetState;
  throw Error("call to unidentified asyncify import: asyncify." + imp.name);
}

// A function list from the options, checked the way Binaryen checks it.
struct CheckedList {
  const char* designation;
  NameList list;
  std::set<std::string> exactNames;

  CheckedList(const char* d, std::vector<std::string> entries, const Pausability& p,
              uint32_t numImported, std::ostream& log)
      : designation(d), list(std::move(entries)) {
    std::set<std::string> known(p.names.begin() + numImported, p.names.end());
    std::set<std::string> imported(p.names.begin(), p.names.begin() + numImported);
    for (const auto& e : list.entries()) {
      if (e.find('*') != std::string::npos) continue;
      exactNames.insert(e);
      if (imported.count(e) && !known.count(e))
        throw Error(std::string("Asyncify ") + designation +
                    "list contained an imported function name (use the import list for "
                    "imports): " +
                    e);
      if (!known.count(e))
        log << "warning: Asyncify " << designation
            << "list contained a non-existing function name: " << e << "\n";
    }
  }
  bool matches(const std::string& name) { return list.matches(name); }
  void warnUnmatchedPatterns(std::ostream& log) const {
    for (const auto& e : list.unmatched())
      if (e.find('*') != std::string::npos)
        log << "warning: Asyncify " << designation << "list contained a non-matching pattern: " << e
            << "\n";
  }
};

}  // namespace

Pausability analyzePausability(const Module& m, const CallGraph& g, const AsyncifyOptions& o,
                               std::ostream& log) {
  const uint32_t numFuncs = m.numFunctions();
  const uint32_t numImported = m.numImportedFunctions();
  Pausability p;
  p.role.assign(numFuncs, Role::Plain);
  p.runtimeImport.assign(numFuncs, RuntimeImport::None);
  p.addedFromList.assign(numFuncs, false);
  p.because.assign(numFuncs, std::nullopt);
  p.ignoreIndirect = o.ignoreIndirect;
  p.names.resize(numFuncs);
  for (uint32_t f = 0; f < numFuncs; f++) {
    auto n = m.functionName(f);
    p.names[f] = n                 ? *n
                 : f < numImported ? "fimport$" + std::to_string(f)
                                   : std::to_string(f - numImported);
  }

  if (o.onlyList && (!o.addList.empty() || !o.removeList.empty()))
    throw Error("It makes no sense to use both an asyncify only-list together with another list.");

  // Imports.
  NameList importList(o.imports.value_or(std::vector<std::string>{}));
  const bool explicitImports = o.imports && !o.imports->empty();
  const bool allImportsPause = !explicitImports && !o.ignoreImports;
  std::vector<bool> changes(numFuncs, false);
  uint32_t importFunc = 0;
  for (const auto& imp : m.imports) {
    if (imp.kind != ExternKind::Func) continue;
    uint32_t f = importFunc++;
    p.runtimeImport[f] = classifyRuntimeImport(imp);
    if (p.runtimeImport[f] != RuntimeImport::None) {
      p.role[f] = Role::Runtime;
      changes[f] = p.runtimeImport[f] == RuntimeImport::StartUnwind ||
                   p.runtimeImport[f] == RuntimeImport::StopRewind;
      continue;
    }
    bool pauses =
        explicitImports ? importList.matches(imp.module + "." + imp.name) : allImportsPause;
    if (pauses) {
      p.role[f] = Role::PausingImport;
      changes[f] = true;
      if (o.verbose)
        log << "[asyncify] " << p.names[f] << " is an import that can change the state\n";
    }
  }
  p.foreignTargetsPause = g.foreignReferences && allImportsPause;

  // Initial scan of defined functions.
  for (uint32_t f = numImported; f < numFuncs; f++) {
    bool top = false, bottom = false, direct = false;
    for (uint32_t c : g.callees[f]) {
      switch (p.runtimeImport[c]) {
        case RuntimeImport::StartUnwind:
        case RuntimeImport::StopRewind:
          top = true;
          break;
        case RuntimeImport::StopUnwind:
        case RuntimeImport::StartRewind:
          bottom = true;
          break;
        default:
          direct |= p.role[c] == Role::PausingImport;
      }
    }
    if (!o.ignoreIndirect && p.foreignTargetsPause && !g.indirectTypes[f].empty()) direct = true;
    if (bottom) {
      p.role[f] = Role::BottomRuntime;
      continue;
    }
    if (top) p.role[f] = Role::TopRuntime;
    if (top || direct) {
      changes[f] = true;
      if (o.verbose)
        log << "[asyncify] " << p.names[f] << " can change the state due to initial scan\n";
    }
  }

  std::optional<CheckedList> removeList, addList, onlyList;
  if (!o.removeList.empty()) removeList.emplace("remove", o.removeList, p, numImported, log);
  if (!o.addList.empty()) addList.emplace("add", o.addList, p, numImported, log);
  if (o.onlyList) onlyList.emplace("only", *o.onlyList, p, numImported, log);

  std::vector<bool> removed(numFuncs, false);
  if (removeList) {
    for (uint32_t f = numImported; f < numFuncs; f++) {
      if (!removeList->matches(p.names[f])) continue;
      removed[f] = true;
      if (o.verbose && changes[f])
        log << "[asyncify] " << p.names[f] << " is in the remove-list, ignore\n";
      changes[f] = false;
    }
  }

  auto applyAddList = [&] {
    if (!addList) return;
    for (uint32_t f = numImported; f < numFuncs; f++) {
      if (!addList->matches(p.names[f])) continue;
      if (removeList && removeList->matches(p.names[f]))
        throw Error(p.names[f] + " is found in the add-list and in the remove-list");
      if (o.verbose && !changes[f])
        log << "[asyncify] " << p.names[f] << " is in the add-list, add\n";
      changes[f] = true;
      p.addedFromList[f] = true;
    }
  };
  if (o.propagateAddList) applyAddList();

  // Propagate to direct callers and, through escaping functions, to indirect callers.
  std::vector<std::string> lines;
  std::vector<uint32_t> work;
  for (uint32_t f = 0; f < numFuncs; f++)
    if (changes[f]) work.push_back(f);
  std::vector<bool> typeReached(g.indirectCallersOf.size(), false);
  auto mark = [&](uint32_t caller, uint32_t reason) {
    if (changes[caller] || removed[caller] || p.role[caller] == Role::BottomRuntime) return;
    changes[caller] = true;
    p.because[caller] = reason;
    if (o.verbose)
      lines.push_back("[asyncify] " + p.names[caller] + " can change the state due to " +
                      p.names[reason] + "\n");
    work.push_back(caller);
  };
  while (!work.empty()) {
    uint32_t f = work.back();
    work.pop_back();
    for (uint32_t caller : g.callers[f]) mark(caller, f);
    if (o.ignoreIndirect || !g.escapes[f]) continue;
    for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)]) {
      if (typeReached[t]) continue;
      typeReached[t] = true;
      for (uint32_t caller : g.indirectCallersOf[t]) mark(caller, f);
    }
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& line : lines) log << line;

  if (onlyList) {
    for (uint32_t f = numImported; f < numFuncs; f++) {
      bool matched = onlyList->matches(p.names[f]);
      changes[f] = matched;
      p.addedFromList[f] = matched;
      if (o.verbose)
        log << "[asyncify] " << p.names[f] << "'s state is set based on the only-list to "
            << (matched ? 1 : 0) << "\n";
    }
  }
  if (!o.propagateAddList) applyAddList();

  if (removeList) removeList->warnUnmatchedPatterns(log);
  if (addList) addList->warnUnmatchedPatterns(log);
  if (onlyList) onlyList->warnUnmatchedPatterns(log);

  for (uint32_t f = numImported; f < numFuncs; f++)
    if (changes[f] && p.role[f] == Role::Plain) p.role[f] = Role::Instrumented;

  // Indirect call sites pause when a function of a matching type that really pauses can be
  // reached indirectly (decided on the final roles, lists included).
  p.canonicalTypePauses.assign(g.indirectCallersOf.size(), false);
  for (uint32_t f = 0; f < numFuncs; f++) {
    bool pauses = p.role[f] == Role::Instrumented || p.role[f] == Role::PausingImport ||
                  p.role[f] == Role::TopRuntime;
    if (!pauses || !g.escapes[f]) continue;
    for (uint32_t t : g.matchingCanonicalTypes[m.functionTypeIndex(f)])
      p.canonicalTypePauses[t] = true;
  }
  return p;
}

std::string explainPausability(const Pausability& p, uint32_t function) {
  using R = Pausability::Role;
  std::string out = p.names[function];
  R r = p.role[function];
  if (r != R::Instrumented && r != R::TopRuntime && r != R::PausingImport)
    return out + ": does not pause";
  std::vector<bool> seen(p.role.size(), false);
  uint32_t f = function;
  while (p.because[f] && !seen[f]) {
    seen[f] = true;
    f = *p.because[f];
    out += " -> " + p.names[f];
  }
  if (p.role[f] == R::PausingImport)
    out += " (a pausing import)";
  else if (p.role[f] == R::TopRuntime)
    out += " (calls asyncify.start_unwind / stop_rewind)";
  else if (p.addedFromList[f])
    out += " (named in the add-list or only-list)";
  else
    out += " (calls a pausing import, or an indirect call may reach pausing code)";
  return out;
}

}  // namespace asyncify
