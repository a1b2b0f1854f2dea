// Lookups across the index spaces (imports first, then definitions) and type interning.
#include "asyncify/binary/module.h"

#include <fmt/format.h>

#include "asyncify/binary/error.h"

namespace asyncify {

void Module::countImports() {
  for (auto& positions : importPos_) positions.clear();
  for (uint32_t i = 0; i < imports.size(); ++i)
    importPos_[static_cast<unsigned>(imports[i].kind)].push_back(i);
  for (unsigned k = 0; k < 5; ++k) importedCount_[k] = static_cast<uint32_t>(importPos_[k].size());
}

const Import& Module::nthImport(ExternKind kind, uint32_t n) const {
  const auto& positions = importPos_[static_cast<unsigned>(kind)];
  if (n >= positions.size() || positions[n] >= imports.size())
    throw Error("internal error: import index out of range (countImports not called?)");
  return imports[positions[n]];
}

const Import* Module::functionImport(uint32_t funcIndex) const {
  if (funcIndex >= numImportedFunctions()) return nullptr;
  return &nthImport(ExternKind::Func, funcIndex);
}

std::vector<uint32_t> Module::supertypeChain(uint32_t typeIndex) const {
  std::vector<uint32_t> chain;
  for (uint32_t t = typeIndex; t < types.size() && chain.size() <= types.size();) {
    chain.push_back(t);
    if (types[t].supertypes.empty()) break;
    t = types[t].supertypes[0];
  }
  return chain;
}

uint32_t Module::addFunction(uint32_t typeIndex, std::vector<uint8_t> body, std::string name) {
  Function f;
  f.typeIndex = typeIndex;
  f.replacement = std::move(body);
  f.replaced = true;
  functions.push_back(std::move(f));
  markChanged(SectionId::Function);
  const uint32_t index = numFunctions() - 1;
  if (names) {
    names->functions[index] = std::move(name);
    markChanged(SectionId::Custom);
  }
  return index;
}

uint32_t Module::functionTypeIndex(uint32_t funcIndex) const {
  if (funcIndex < numImportedFunctions()) return nthImport(ExternKind::Func, funcIndex).typeIndex;
  uint32_t defined = funcIndex - numImportedFunctions();
  if (defined >= functions.size())
    throw Error(
        fmt::format("function index {} out of range ({} functions)", funcIndex, numFunctions()));
  return functions[defined].typeIndex;
}

const FuncType& Module::funcType(uint32_t typeIndex) const {
  if (typeIndex >= types.size())
    throw Error(fmt::format("type index {} out of range ({} types)", typeIndex, types.size()));
  const SubType& t = types[typeIndex];
  if (t.kind != SubType::Func)
    throw Error(fmt::format("type {} is not a function type", typeIndex));
  return t.func;
}

const FuncType& Module::functionType(uint32_t funcIndex) const {
  return funcType(functionTypeIndex(funcIndex));
}

GlobalType Module::globalType(uint32_t globalIndex) const {
  if (globalIndex < numImportedGlobals()) return nthImport(ExternKind::Global, globalIndex).global;
  uint32_t defined = globalIndex - numImportedGlobals();
  if (defined >= globals.size())
    throw Error(
        fmt::format("global index {} out of range ({} globals)", globalIndex, numGlobals()));
  return globals[defined].type;
}

TableType Module::tableType(uint32_t tableIndex) const {
  if (tableIndex < numImportedTables()) return nthImport(ExternKind::Table, tableIndex).table;
  uint32_t defined = tableIndex - numImportedTables();
  if (defined >= tables.size())
    throw Error(fmt::format("table index {} out of range ({} tables)", tableIndex, numTables()));
  return tables[defined].type;
}

MemoryType Module::memoryType(uint32_t memoryIndex) const {
  if (memoryIndex < numImportedMemories()) return nthImport(ExternKind::Memory, memoryIndex).memory;
  uint32_t defined = memoryIndex - numImportedMemories();
  if (defined >= memories.size())
    throw Error(
        fmt::format("memory index {} out of range ({} memories)", memoryIndex, numMemories()));
  return memories[defined];
}

std::optional<std::string> Module::functionName(uint32_t funcIndex) const {
  if (!names) return std::nullopt;
  auto it = names->functions.find(funcIndex);
  if (it == names->functions.end()) return std::nullopt;
  return it->second;
}

std::span<const uint8_t> Module::bodyBytes(const Function& f) const {
  if (f.replaced) return f.replacement;
  return range(f.body);
}

std::optional<uint32_t> Module::findFuncType(const FuncType& t) const {
  for (uint32_t i = 0; i < types.size(); ++i) {
    const SubType& s = types[i];
    if (s.kind == SubType::Func && s.final && s.supertypes.empty() && s.recGroupSize == 1 &&
        s.func == t)
      return i;
  }
  return std::nullopt;
}

uint32_t Module::internFuncType(const FuncType& t) {
  if (auto found = findFuncType(t)) return *found;
  SubType s;
  s.kind = SubType::Func;
  s.func = t;
  s.recGroupStart = static_cast<uint32_t>(types.size());
  s.recGroupSize = 1;
  types.push_back(std::move(s));
  markChanged(SectionId::Type);
  return static_cast<uint32_t>(types.size() - 1);
}

}  // namespace asyncify
