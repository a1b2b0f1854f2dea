#include "never_returning.h"

#include <algorithm>

#include "asyncify/binary/instr.h"

namespace asyncify {

bool isUninhabited(ValType t) {
  if (!t.isRef() || t.nullable || t.heap.isIndex()) return false;
  switch (t.heap.code) {
    case HeapType::None:
    case HeapType::NoFunc:
    case HeapType::NoExtern:
    case HeapType::NoExn:
      return true;
    default:
      return false;
  }
}

namespace {

// Whether function `f` may be reached other than by a direct call from this module.
bool reachedIndirectlyOrFromOutside(const Module& m, const CallGraph& g, uint32_t f) {
  if (f < m.numImportedFunctions() || g.escapes[f]) return true;
  return std::any_of(m.exports.begin(), m.exports.end(),
                     [f](const Export& e) { return e.kind == ExternKind::Func && e.index == f; });
}

constexpr uint8_t kUnreachable = 0x00;

// Whether a function returning `callerResults` may still tail-call one whose results are now
// `calleeResults`: a result that became nullable needs a nullable result there.
bool tailCallStaysValid(const std::vector<ValType>& callerResults,
                        const std::vector<ValType>& calleeResults) {
  if (callerResults.size() != calleeResults.size()) return false;
  for (size_t i = 0; i < calleeResults.size(); i++)
    if (calleeResults[i].isRef() && calleeResults[i].nullable && !callerResults[i].nullable)
      return false;
  return true;
}

// Copies a body, adding `unreachable` after each call to a retyped function (unless one follows
// already) and turning a tail call to one that the caller's results no longer accept into
// call + unreachable. Nullopt when nothing changes.
std::optional<std::vector<uint8_t>> patchCalls(const Module& m, std::span<const uint8_t> body,
                                               uint64_t base, const std::vector<bool>& retyped,
                                               const std::vector<ValType>& callerResults) {
  FunctionCode code = readFunctionCode(body, base);
  CodePools pools;
  InstrReader reader(code.code, code.codeOffset, pools);
  std::optional<std::vector<uint8_t>> out;
  size_t copied = 0;
  auto copyUpTo = [&](uint64_t at) {
    if (!out) out.emplace().reserve(body.size() + 16);
    const size_t rel = at - base;
    out->insert(out->end(), body.begin() + copied, body.begin() + rel);
    copied = rel;
  };
  bool afterCall = false;
  Instr ins;
  while (!reader.atEnd()) {
    const uint64_t at = reader.offset();
    reader.next(ins);
    if (afterCall && ins.op != Op::Unreachable) {
      copyUpTo(at);
      out->push_back(kUnreachable);
    }
    afterCall = false;
    const bool toRetyped = (ins.op == Op::Call || ins.op == Op::ReturnCall) &&
                           ins.a < retyped.size() && retyped[ins.a];
    if (!toRetyped) continue;
    if (ins.op == Op::Call) {
      afterCall = true;
      continue;
    }
    if (tailCallStaysValid(callerResults, m.functionType(ins.a).results)) continue;
    copyUpTo(at);
    ins.op = Op::Call;
    encodeInstr(ins, pools, *out);
    out->push_back(kUnreachable);
    copied = reader.offset() - base;
  }
  if (out) out->insert(out->end(), body.begin() + copied, body.end());
  return out;
}

}  // namespace

std::vector<uint32_t> retypeNeverReturning(Module& m, const CallGraph& g, const Pausability& p) {
  const uint32_t numImported = m.numImportedFunctions();
  std::vector<uint32_t> changed;
  std::vector<bool> retyped(m.numFunctions(), false);
  for (uint32_t f = numImported; f < m.numFunctions(); f++) {
    if (!p.instrumented(f)) continue;
    const FuncType& type = m.functionType(f);
    if (std::none_of(type.results.begin(), type.results.end(), isUninhabited)) continue;
    if (reachedIndirectlyOrFromOutside(m, g, f)) continue;
    FuncType relaxed = type;
    for (ValType& r : relaxed.results)
      if (isUninhabited(r)) r.nullable = true;
    m.functions[f - numImported].typeIndex = m.internFuncType(relaxed);
    retyped[f] = true;
    changed.push_back(f);
  }
  if (changed.empty()) return changed;
  m.markChanged(SectionId::Function);
  for (uint32_t d = 0; d < m.functions.size(); d++) {
    Function& fn = m.functions[d];
    auto patched = patchCalls(m, m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin, retyped,
                              m.functionType(numImported + d).results);
    if (!patched) continue;
    fn.replacement = std::move(*patched);
    fn.replaced = true;
    m.markChanged(SectionId::Code);
  }
  return changed;
}

}  // namespace asyncify
