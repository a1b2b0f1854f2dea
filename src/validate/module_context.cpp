// The module's index spaces for the validator, and the declared function references (C.refs).
#include "module_context.h"

#include "const_expr.h"

namespace asyncify::validate {

ModuleContext::ModuleContext(const Module& module) : module_(module), types_(module) {
  for (const Import& imp : module.imports) {
    switch (imp.kind) {
      case ExternKind::Func:
        importedFuncs_.push_back(imp.typeIndex);
        break;
      case ExternKind::Table:
        importedTables_.push_back(imp.table);
        break;
      case ExternKind::Memory:
        importedMemories_.push_back(imp.memory);
        break;
      case ExternKind::Global:
        importedGlobals_.push_back(imp.global);
        break;
      case ExternKind::Tag:
        importedTags_.push_back(imp.typeIndex);
        break;
    }
  }
}

const uint32_t* ModuleContext::funcTypeIndex(uint32_t func) const {
  if (func < importedFuncs_.size()) return &importedFuncs_[func];
  func -= static_cast<uint32_t>(importedFuncs_.size());
  return func < module_.functions.size() ? &module_.functions[func].typeIndex : nullptr;
}

const FuncType* ModuleContext::funcType(uint32_t func) const {
  const uint32_t* t = funcTypeIndex(func);
  return t ? types_.funcType(*t) : nullptr;
}

const GlobalType* ModuleContext::global(uint32_t index) const {
  if (index < importedGlobals_.size()) return &importedGlobals_[index];
  index -= static_cast<uint32_t>(importedGlobals_.size());
  return index < module_.globals.size() ? &module_.globals[index].type : nullptr;
}

const TableType* ModuleContext::table(uint32_t index) const {
  if (index < importedTables_.size()) return &importedTables_[index];
  index -= static_cast<uint32_t>(importedTables_.size());
  return index < module_.tables.size() ? &module_.tables[index].type : nullptr;
}

const MemoryType* ModuleContext::memory(uint32_t index) const {
  if (index < importedMemories_.size()) return &importedMemories_[index];
  index -= static_cast<uint32_t>(importedMemories_.size());
  return index < module_.memories.size() ? &module_.memories[index] : nullptr;
}

const FuncType* ModuleContext::tagType(uint32_t index) const {
  if (index < importedTags_.size()) return types_.funcType(importedTags_[index]);
  index -= static_cast<uint32_t>(importedTags_.size());
  return index < module_.tags.size() ? types_.funcType(module_.tags[index].typeIndex) : nullptr;
}

ValType ModuleContext::elemType(uint32_t segment) const {
  const ElemSegment& e = module_.elems[segment];
  // A list of function indices holds no null: its elements are (ref func).
  return e.usesExprs ? e.type : ValType::ref(HeapType{HeapType::Func}, false);
}

bool ModuleContext::isDeclaredRef(uint32_t func) const {
  if (!refsReady_) gatherRefs();
  return func < refs_.size() && refs_[func];
}

void ModuleContext::gatherRefs() const {
  refs_.assign(numFunctions(), 0);
  auto mark = [&](uint32_t f) {
    if (f < refs_.size()) refs_[f] = 1;
  };
  for (const ElemSegment& e : module_.elems) {
    for (uint32_t f : e.functions) mark(f);
    for (const ConstExpr& x : e.exprs) collectRefFuncs(module_, x, refs_);
  }
  for (const Export& x : module_.exports)
    if (x.kind == ExternKind::Func) mark(x.index);
  for (const Global& g : module_.globals) collectRefFuncs(module_, g.init, refs_);
  for (const Table& t : module_.tables)
    if (t.init) collectRefFuncs(module_, *t.init, refs_);
  refsReady_ = true;
}

}  // namespace asyncify::validate
