// Renumbering of the function and global index spaces. Instructions that mention a moved index
// are re-encoded in place and every other byte is copied, so bodies and constant expressions
// that do not mention one keep their original bytes (and their original section, unchanged).
#include "asyncify/binary/renumber.h"

#include <optional>

#include "asyncify/binary/instr.h"

namespace asyncify {

namespace {

using Bytes = std::vector<uint8_t>;

class Renumberer {
 public:
  Renumberer(Module& m, const IndexMap& map) : m_(m), map_(map) {}

  void run() {
    bool funcsMoved = moves(map_.functions), globalsMoved = moves(map_.globals);
    if (!funcsMoved && !globalsMoved) return;
    renumberCode();
    renumberConstExprs();
    if (funcsMoved) {
      renumberExports(ExternKind::Func, map_.functions);
      if (m_.start && func(*m_.start) != *m_.start) {
        m_.start = func(*m_.start);
        m_.markChanged(SectionId::Start);
      }
      for (ElemSegment& e : m_.elems)
        for (uint32_t& f : e.functions)
          if (func(f) != f) {
            f = func(f);
            m_.markChanged(SectionId::Element);
          }
    }
    if (globalsMoved) renumberExports(ExternKind::Global, map_.globals);
    renumberNames();
  }

 private:
  static bool moves(const std::vector<uint32_t>& map) {
    for (uint32_t i = 0; i < map.size(); ++i)
      if (map[i] != i) return true;
    return false;
  }
  static uint32_t apply(const std::vector<uint32_t>& map, uint32_t i) {
    return i < map.size() ? map[i] : i;
  }
  uint32_t func(uint32_t i) const { return apply(map_.functions, i); }
  uint32_t global(uint32_t i) const { return apply(map_.globals, i); }

  // Copies `bytes`, re-encoding the instructions from `codeStart` on that mention a moved
  // index; nullopt when none does.
  std::optional<Bytes> rewrite(std::span<const uint8_t> bytes, uint64_t base, size_t codeStart) {
    pools_.clear();
    InstrReader reader(bytes.subspan(codeStart), base + codeStart, pools_);
    std::optional<Bytes> out;
    size_t copied = 0;
    while (!reader.atEnd()) {
      uint64_t at = reader.offset();
      reader.next(instr_);
      ImmKind imm = instr_.info().imm;
      uint32_t moved;
      if (imm == ImmKind::Func)
        moved = func(instr_.a);
      else if (imm == ImmKind::Global)
        moved = global(instr_.a);
      else
        continue;
      if (moved == instr_.a) continue;
      if (!out) out.emplace().reserve(bytes.size() + 16);
      size_t rel = at - base;
      out->insert(out->end(), bytes.begin() + copied, bytes.begin() + rel);
      instr_.a = moved;
      encodeInstr(instr_, pools_, *out);
      copied = reader.offset() - base;
    }
    if (out) out->insert(out->end(), bytes.begin() + copied, bytes.end());
    return out;
  }

  void renumberCode() {
    for (Function& f : m_.functions) {
      auto body = m_.bodyBytes(f);
      uint64_t base = f.replaced ? 0 : f.body.begin;
      FunctionCode code = readFunctionCode(body, base);
      if (auto out = rewrite(body, base, code.codeOffset - base)) {
        f.replacement = std::move(*out);
        f.replaced = true;
        m_.markChanged(SectionId::Code);
      }
    }
  }

  bool renumberExpr(ConstExpr& e) {
    auto bytes = m_.exprBytes(e);
    if (bytes.empty()) return false;
    uint64_t base = e.bytes.empty() ? e.range.begin : 0;
    auto out = rewrite(bytes, base, 0);
    if (!out) return false;
    e.bytes = std::move(*out);
    return true;
  }

  void renumberConstExprs() {
    for (Global& g : m_.globals)
      if (renumberExpr(g.init)) m_.markChanged(SectionId::Global);
    for (Table& t : m_.tables)
      if (t.init && renumberExpr(*t.init)) m_.markChanged(SectionId::Table);
    for (ElemSegment& e : m_.elems) {
      bool changed = e.mode == SegmentMode::Active && renumberExpr(e.offset);
      for (ConstExpr& x : e.exprs) changed |= renumberExpr(x);
      if (changed) m_.markChanged(SectionId::Element);
    }
    for (DataSegment& d : m_.data)
      if (d.mode == SegmentMode::Active && renumberExpr(d.offset)) m_.markChanged(SectionId::Data);
  }

  void renumberExports(ExternKind kind, const std::vector<uint32_t>& map) {
    for (Export& e : m_.exports) {
      if (e.kind != kind || apply(map, e.index) == e.index) continue;
      e.index = apply(map, e.index);
      m_.markChanged(SectionId::Export);
    }
  }

  template <class V>
  static bool rekey(std::map<uint32_t, V>& names, const std::vector<uint32_t>& map) {
    if (!moves(map)) return false;
    std::map<uint32_t, V> out;
    bool changed = false;
    for (auto& [index, value] : names) {
      uint32_t to = apply(map, index);
      changed |= to != index;
      out.emplace(to, std::move(value));
    }
    names = std::move(out);
    return changed;
  }

  void renumberNames() {
    if (!m_.names) return;
    bool changed = rekey(m_.names->functions, map_.functions);
    changed |= rekey(m_.names->locals, map_.functions);
    changed |= rekey(m_.names->globals, map_.globals);
    if (changed) m_.markChanged(SectionId::Custom);
  }

  Module& m_;
  const IndexMap& map_;
  CodePools pools_;
  Instr instr_;
};

}  // namespace

void renumber(Module& module, const IndexMap& map) {
  Renumberer(module, map).run();
}

}  // namespace asyncify
