#include "asyncify/analysis/call_graph.h"

#include <algorithm>
#include <map>
#include <string>

#include "asyncify/binary/instr.h"

namespace asyncify {
namespace {

// A signature's shape as a string key; concrete reference indices collapse into one marker.
std::string shapeKey(const FuncType& t) {
  std::string key;
  auto add = [&](ValType v) {
    key += static_cast<char>('a' + v.kind);
    if (v.isRef()) {
      key += v.nullable ? 'n' : 'N';
      key += v.heap.isIndex() ? std::string("#") : std::to_string(v.heap.code);
    }
    key += ',';
  };
  for (auto p : t.params) add(p);
  key += "->";
  for (auto r : t.results) add(r);
  return key;
}

bool mentionsReference(const FuncType& t) {
  for (auto v : t.params)
    if (v.isRef()) return true;
  for (auto v : t.results)
    if (v.isRef()) return true;
  return false;
}

void markRefFuncs(std::span<const uint8_t> expr, uint64_t offset, std::vector<bool>& escapes) {
  CodePools pools;
  InstrReader reader(expr, offset, pools);
  Instr ins;
  while (!reader.atEnd()) {
    reader.next(ins);
    if (ins.op == Op::RefFunc && ins.a < escapes.size()) escapes[ins.a] = true;
  }
}

}  // namespace

CallGraph buildCallGraph(const Module& m) {
  CallGraph g;
  const uint32_t numFuncs = m.numFunctions();
  const uint32_t numImported = m.numImportedFunctions();
  g.callees.resize(numFuncs);
  g.callers.resize(numFuncs);
  g.indirectTypes.resize(numFuncs);
  g.tailCallees.resize(numFuncs);
  g.tailIndirectTypes.resize(numFuncs);
  g.escapes.assign(numFuncs, false);

  // Canonical function types.
  std::map<std::string, uint32_t> ids;
  g.canonicalType.resize(m.types.size(), UINT32_MAX);
  for (uint32_t i = 0; i < m.types.size(); i++) {
    const SubType& t = m.types[i];
    std::string key = t.kind == SubType::Func ? shapeKey(t.func) : "type#" + std::to_string(i);
    auto [it, inserted] = ids.emplace(key, static_cast<uint32_t>(ids.size()));
    g.canonicalType[i] = it->second;
  }
  g.indirectCallersOf.resize(ids.size());
  g.matchingCanonicalTypes.resize(m.types.size());
  for (uint32_t i = 0; i < m.types.size(); i++)
    for (uint32_t t : m.supertypeChain(i))
      g.matchingCanonicalTypes[i].push_back(g.canonicalType[t]);

  // Can foreign function references enter?
  for (const auto& imp : m.imports) {
    if (imp.kind == ExternKind::Table) g.foreignReferences = true;
    if (imp.kind == ExternKind::Global && imp.global.type.isRef()) g.foreignReferences = true;
    if (imp.kind == ExternKind::Func && imp.typeIndex < m.types.size() &&
        mentionsReference(m.types[imp.typeIndex].func))
      g.foreignReferences = true;
  }
  for (const auto& e : m.exports) {
    if (e.kind == ExternKind::Table) g.foreignReferences = true;
    if (e.kind == ExternKind::Global && e.index < m.numGlobals() &&
        m.globalType(e.index).type.isRef())
      g.foreignReferences = true;
    if (e.kind == ExternKind::Func && e.index < numFuncs &&
        mentionsReference(m.functionType(e.index)))
      g.foreignReferences = true;
  }
  if (g.foreignReferences) {
    for (uint32_t f = 0; f < numImported; f++) g.escapes[f] = true;
    for (const auto& e : m.exports)
      if (e.kind == ExternKind::Func && e.index < numFuncs) g.escapes[e.index] = true;
  }

  // Element segments and global initializers.
  for (const auto& seg : m.elems) {
    for (uint32_t f : seg.functions)
      if (f < numFuncs) g.escapes[f] = true;
    for (const auto& e : seg.exprs) markRefFuncs(m.exprBytes(e), e.range.begin, g.escapes);
  }
  for (const auto& gl : m.globals)
    markRefFuncs(m.exprBytes(gl.init), gl.init.range.begin, g.escapes);

  // Bodies.
  CodePools pools;
  Instr ins;
  for (uint32_t d = 0; d < m.functions.size(); d++) {
    const Function& fn = m.functions[d];
    const uint32_t self = numImported + d;
    FunctionCode code = readFunctionCode(m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin);
    pools.clear();
    InstrReader reader(code.code, code.codeOffset, pools);
    auto& callees = g.callees[self];
    auto& indirect = g.indirectTypes[self];
    while (!reader.atEnd()) {
      reader.next(ins);
      switch (ins.op) {
        case Op::Call:
        case Op::ReturnCall:
          if (ins.a >= numFuncs) break;
          callees.push_back(ins.a);
          if (ins.op == Op::ReturnCall) g.tailCallees[self].push_back(ins.a);
          break;
        case Op::CallIndirect:
        case Op::ReturnCallIndirect:
        case Op::CallRef:
        case Op::ReturnCallRef:
          if (ins.a >= m.types.size()) break;
          indirect.push_back(g.canonicalType[ins.a]);
          if (ins.op != Op::CallIndirect && ins.op != Op::CallRef)
            g.tailIndirectTypes[self].push_back(g.canonicalType[ins.a]);
          break;
        case Op::RefFunc:
          if (ins.a < numFuncs) g.escapes[ins.a] = true;
          break;
        default:
          break;
      }
    }
    std::sort(callees.begin(), callees.end());
    callees.erase(std::unique(callees.begin(), callees.end()), callees.end());
    std::sort(indirect.begin(), indirect.end());
    indirect.erase(std::unique(indirect.begin(), indirect.end()), indirect.end());
    for (auto* list : {&g.tailCallees[self], &g.tailIndirectTypes[self]}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    for (uint32_t c : callees) g.callers[c].push_back(self);
    for (uint32_t t : indirect) g.indirectCallersOf[t].push_back(self);
  }
  return g;
}

}  // namespace asyncify
