// Module-level rules: limits of tables and memories (memory64, shared, custom page sizes),
// global and table initializers, unique export names, the start function, element and data
// segments (modes, offsets by address type, element types) and the data count.
#include "module_checks.h"

#include <string>
#include <string_view>
#include <unordered_set>

#include "asyncify/binary/error.h"
#include "const_expr.h"

namespace asyncify::validate {
namespace {

uint64_t sectionOffset(const Module& m, SectionId id) {
  for (const auto& s : m.sections)
    if (s.id == id) return s.payload.begin;
  return 0;
}

class FieldChecker {
 public:
  explicit FieldChecker(const ModuleContext& ctx)
      : ctx_(ctx), m_(ctx.module()), types_(ctx.types()), exprs_(ctx) {}

  void run() {
    validateTypeSection(types_);
    checkImports();
    checkFunctions();
    checkTables();
    checkMemories();
    checkTags();
    checkGlobals();
    checkExports();
    checkStart();
    checkElems();
    checkData();
  }

 private:
  [[noreturn]] void fail(SectionId section, const std::string& what) const {
    throw Error(what, sectionOffset(m_, section));
  }

  void checkFuncTypeIndex(SectionId s, uint32_t typeIndex, const std::string& what) {
    if (!types_.funcType(typeIndex))
      fail(s, what + ": type " + std::to_string(typeIndex) +
                  (typeIndex < types_.typeCount() ? " is not a function type" : " out of range"));
  }

  void checkTagType(SectionId s, uint32_t typeIndex, uint8_t attribute, const std::string& what) {
    if (attribute != 0)
      fail(s, what + ": tag attribute " + std::to_string(attribute) + " is not 0 (exception)");
    checkFuncTypeIndex(s, typeIndex, what);
    if (!types_.funcType(typeIndex)->results.empty())
      fail(s, what + ": a tag's type must have no results");
  }

  void checkValType(SectionId s, ValType t, const std::string& what) {
    if (!types_.validValType(t)) fail(s, what + ": invalid value type " + typeName(t));
  }

  void checkTableType(SectionId s, const TableType& t, const std::string& what) {
    if (t.elem.kind != ValType::Ref) fail(s, what + ": element type must be a reference type");
    checkValType(s, t.elem, what);
    const Limits& l = t.limits;
    if (l.shared) fail(s, what + ": tables cannot be shared");
    uint64_t bound = l.is64 ? ~uint64_t{0} : 0xffffffffu;
    if (l.min > bound || (l.max && *l.max > bound))
      fail(s, what + ": size exceeds the address range");
    if (l.max && l.min > *l.max) fail(s, what + ": minimum size is larger than the maximum");
  }

  void checkMemoryType(SectionId s, const MemoryType& t, const std::string& what) {
    const Limits& l = t.limits;
    unsigned pageLog2 = 16;
    if (t.pageSizeLog2) {
      if (*t.pageSizeLog2 != 0 && *t.pageSizeLog2 != 16)
        fail(s, what + ": page size must be 1 or 65536 bytes");
      pageLog2 = *t.pageSizeLog2;
    }
    // Pages that fit the address space: 2^16 of 64 KiB for 32-bit memories, 2^48 for 64-bit.
    unsigned addressBits = l.is64 ? 64 : 32;
    uint64_t bound =
        addressBits - pageLog2 >= 64 ? ~uint64_t{0} : uint64_t{1} << (addressBits - pageLog2);
    if (l.min > bound)
      fail(s, what + ": minimum size must be at most " + std::to_string(bound) + " pages");
    if (l.max && *l.max > bound)
      fail(s, what + ": maximum size must be at most " + std::to_string(bound) + " pages");
    if (l.max && l.min > *l.max) fail(s, what + ": minimum size is larger than the maximum");
    if (l.shared && !l.max) fail(s, what + ": a shared memory must have a maximum size");
  }

  void checkImports() {
    for (size_t i = 0; i < m_.imports.size(); ++i) {
      const Import& imp = m_.imports[i];
      std::string what = "import " + std::to_string(i) + " (" + imp.module + "." + imp.name + ")";
      switch (imp.kind) {
        case ExternKind::Func:
          checkFuncTypeIndex(SectionId::Import, imp.typeIndex, what);
          break;
        case ExternKind::Table:
          checkTableType(SectionId::Import, imp.table, what);
          break;
        case ExternKind::Memory:
          checkMemoryType(SectionId::Import, imp.memory, what);
          break;
        case ExternKind::Global:
          checkValType(SectionId::Import, imp.global.type, what);
          break;
        case ExternKind::Tag:
          checkTagType(SectionId::Import, imp.typeIndex, imp.tagAttribute, what);
          break;
      }
    }
  }

  void checkFunctions() {
    for (size_t i = 0; i < m_.functions.size(); ++i)
      checkFuncTypeIndex(SectionId::Function, m_.functions[i].typeIndex,
                         "function " + std::to_string(m_.numImportedFunctions() + i));
  }

  void checkTables() {
    for (size_t i = 0; i < m_.tables.size(); ++i) {
      const Table& t = m_.tables[i];
      std::string what = "table " + std::to_string(ctx_.numTables() - m_.tables.size() + i);
      checkTableType(SectionId::Table, t.type, what);
      if (t.init)
        exprs_.check(*t.init, t.type.elem, ctx_.numImportedGlobals(), what + " initializer");
      else if (!TypeContext::defaultable(t.type.elem))
        fail(SectionId::Table,
             what + ": a table of non-nullable " + typeName(t.type.elem) + " needs an initializer");
    }
  }

  void checkMemories() {
    for (size_t i = 0; i < m_.memories.size(); ++i)
      checkMemoryType(SectionId::Memory, m_.memories[i],
                      "memory " + std::to_string(ctx_.numMemories() - m_.memories.size() + i));
  }

  void checkTags() {
    for (size_t i = 0; i < m_.tags.size(); ++i)
      checkTagType(SectionId::Tag, m_.tags[i].typeIndex, m_.tags[i].attribute,
                   "tag " + std::to_string(ctx_.numTags() - m_.tags.size() + i));
  }

  void checkGlobals() {
    uint32_t imported = ctx_.numImportedGlobals();
    for (uint32_t i = 0; i < m_.globals.size(); ++i) {
      const Global& g = m_.globals[i];
      std::string what = "global " + std::to_string(imported + i);
      checkValType(SectionId::Global, g.type.type, what);
      // Earlier globals are visible to an initializer (GC relaxes the imported-only rule).
      exprs_.check(g.init, g.type.type, imported + i, what + " initializer");
    }
  }

  void checkExports() {
    std::unordered_set<std::string_view> names;
    names.reserve(m_.exports.size());
    for (const Export& x : m_.exports) {
      if (!names.insert(x.name).second)
        fail(SectionId::Export, "duplicate export name \"" + x.name + "\"");
      uint32_t count = 0;
      const char* kind = "";
      switch (x.kind) {
        case ExternKind::Func:
          count = ctx_.numFunctions();
          kind = "function";
          break;
        case ExternKind::Table:
          count = ctx_.numTables();
          kind = "table";
          break;
        case ExternKind::Memory:
          count = ctx_.numMemories();
          kind = "memory";
          break;
        case ExternKind::Global:
          count = ctx_.numGlobals();
          kind = "global";
          break;
        case ExternKind::Tag:
          count = ctx_.numTags();
          kind = "tag";
          break;
      }
      if (x.index >= count)
        fail(SectionId::Export, "export \"" + x.name + "\": " + kind + " index " +
                                    std::to_string(x.index) + " out of range");
    }
  }

  void checkStart() {
    if (!m_.start) return;
    const FuncType* t = ctx_.funcType(*m_.start);
    if (!t) fail(SectionId::Start, "start function " + std::to_string(*m_.start) + " out of range");
    if (!t->params.empty() || !t->results.empty())
      fail(SectionId::Start, "start function must have type [] -> []");
  }

  void checkElems() {
    for (uint32_t i = 0; i < m_.elems.size(); ++i) {
      const ElemSegment& e = m_.elems[i];
      std::string what = "element segment " + std::to_string(i);
      if (e.type.kind != ValType::Ref)
        fail(SectionId::Element, what + ": type must be a reference type");
      checkValType(SectionId::Element, e.type, what);
      ValType type = ctx_.elemType(i);
      if (!e.usesExprs) {
        for (uint32_t f : e.functions)
          if (f >= ctx_.numFunctions())
            fail(SectionId::Element,
                 what + ": function index " + std::to_string(f) + " out of range");
      } else {
        for (size_t j = 0; j < e.exprs.size(); ++j)
          exprs_.check(e.exprs[j], e.type, ctx_.numGlobals(),
                       what + " element " + std::to_string(j));
      }
      if (e.mode != SegmentMode::Active) continue;
      const TableType* table = ctx_.table(e.table);
      if (!table)
        fail(SectionId::Element,
             what + ": table index " + std::to_string(e.table) + " out of range");
      exprs_.check(e.offset, ModuleContext::addressType(table->limits.is64), ctx_.numGlobals(),
                   what + " offset");
      if (!types_.matches(type, table->elem))
        throw Error(what + ": elements of type " + typeName(type) + " do not fit table " +
                        std::to_string(e.table) + " of type " + typeName(table->elem),
                    exprOffset(e.offset));
    }
  }

  void checkData() {
    if (m_.dataCount && *m_.dataCount != m_.data.size())
      fail(SectionId::DataCount, "data count " + std::to_string(*m_.dataCount) +
                                     " differs from the " + std::to_string(m_.data.size()) +
                                     " data segment(s)");
    for (uint32_t i = 0; i < m_.data.size(); ++i) {
      const DataSegment& d = m_.data[i];
      if (d.mode != SegmentMode::Active) continue;
      std::string what = "data segment " + std::to_string(i);
      const MemoryType* mem = ctx_.memory(d.memory);
      if (!mem)
        fail(SectionId::Data,
             what + ": memory index " + std::to_string(d.memory) + " out of range");
      exprs_.check(d.offset, ModuleContext::addressType(mem->limits.is64), ctx_.numGlobals(),
                   what + " offset");
    }
  }

  const ModuleContext& ctx_;
  const Module& m_;
  const TypeContext& types_;
  ConstExprValidator exprs_;
};

}  // namespace

void validateModuleFields(const ModuleContext& ctx) {
  FieldChecker(ctx).run();
}

}  // namespace asyncify::validate
