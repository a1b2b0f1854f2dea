// The validation context of a module (the specification's C): every index space with imports
// first, element segment types, and the declared function references (C.refs). Building it
// costs O(imports); C.refs is gathered on first use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asyncify/binary/module.h"
#include "type_context.h"

namespace asyncify::validate {

class ModuleContext {
 public:
  explicit ModuleContext(const Module& module);

  const Module& module() const { return module_; }
  const TypeContext& types() const { return types_; }

  // nullptr / false when the index is out of range.
  const uint32_t* funcTypeIndex(uint32_t func) const;
  const FuncType* funcType(uint32_t func) const;
  const GlobalType* global(uint32_t index) const;
  const TableType* table(uint32_t index) const;
  const MemoryType* memory(uint32_t index) const;
  const FuncType* tagType(uint32_t index) const;  // the tag's function type
  uint32_t numFunctions() const {
    return static_cast<uint32_t>(importedFuncs_.size() + module_.functions.size());
  }
  uint32_t numGlobals() const {
    return static_cast<uint32_t>(importedGlobals_.size() + module_.globals.size());
  }
  uint32_t numImportedGlobals() const { return static_cast<uint32_t>(importedGlobals_.size()); }
  uint32_t numTables() const {
    return static_cast<uint32_t>(importedTables_.size() + module_.tables.size());
  }
  uint32_t numMemories() const {
    return static_cast<uint32_t>(importedMemories_.size() + module_.memories.size());
  }
  uint32_t numTags() const {
    return static_cast<uint32_t>(importedTags_.size() + module_.tags.size());
  }
  uint32_t numElems() const { return static_cast<uint32_t>(module_.elems.size()); }
  uint32_t numDatas() const { return static_cast<uint32_t>(module_.data.size()); }

  // The type a segment's elements have (index lists are non-null function references).
  ValType elemType(uint32_t segment) const;
  // A function index referenced outside function bodies (element segments, exports, constant
  // expressions), which `ref.func` in a body requires.
  bool isDeclaredRef(uint32_t func) const;

  static ValType addressType(bool is64) { return is64 ? ValType::i64() : ValType::i32(); }

 private:
  void gatherRefs() const;

  const Module& module_;
  TypeContext types_;
  std::vector<uint32_t> importedFuncs_;  // type indices
  std::vector<GlobalType> importedGlobals_;
  std::vector<TableType> importedTables_;
  std::vector<MemoryType> importedMemories_;
  std::vector<uint32_t> importedTags_;  // type indices
  mutable std::vector<uint8_t> refs_;
  mutable bool refsReady_ = false;
};

}  // namespace asyncify::validate
