// The module reader's shared state: one object per readModule call, one method per section.
// Sections are read through a Cursor bounded to their payload, so reading past a section's
// end fails at that section's end and a payload not fully consumed is detected in one place.
#pragma once

#include <cstdint>
#include <string>

#include "asyncify/binary/cursor.h"
#include "asyncify/binary/module.h"
#include "asyncify/binary/reader.h"
#include "names.h"

namespace asyncify::detail {

const char* sectionName(SectionId id);

class ModuleReader {
 public:
  ModuleReader(Module& m, const ReadOptions& options) : m_(m), options_(options) {}
  void read();

 private:
  // reader.cpp
  void readSection(SectionId id, Cursor& c);
  void finish();

  // reader_types.cpp
  void readTypeSection(Cursor& c);
  void readSubType(Cursor& c, uint32_t groupStart, uint32_t groupSize);
  FuncType readFuncType(Cursor& c, uint32_t typeLimit);
  FieldType readFieldType(Cursor& c, uint32_t typeLimit);
  void readImportSection(Cursor& c);

  // reader_sections.cpp
  void readFunctionSection(Cursor& c);
  void readTableSection(Cursor& c);
  void readMemorySection(Cursor& c);
  void readTagSection(Cursor& c);
  void readGlobalSection(Cursor& c);
  void readExportSection(Cursor& c);
  void readStartSection(Cursor& c);
  void readDataCountSection(Cursor& c);
  void readCustomSection(Cursor& c, const Module::SectionRecord& record);

 public:
  // Shared helpers for the sections above (reader_types.cpp).
  // A value type whose type index (if any) must be below `typeLimit`.
  ValType readValType(Cursor& c, uint32_t typeLimit);
  ValType readValType(Cursor& c) { return readValType(c, static_cast<uint32_t>(m_.types.size())); }
  ValType readRefType(Cursor& c);
  Limits readLimits(Cursor& c, bool isMemory, std::optional<uint32_t>* pageSizeLog2);
  TableType readTableType(Cursor& c);
  MemoryType readMemoryType(Cursor& c);
  GlobalType readGlobalType(Cursor& c);
  uint32_t readTypeIndex(Cursor& c, bool mustBeFunc);
  uint32_t readIndex(Cursor& c, uint32_t limit, const char* what);

 private:
  // reader_segments.cpp
  ConstExpr readConstExpr(Cursor& c);
  void readElementSection(Cursor& c);
  void readCodeSection(Cursor& c);
  void readDataSection(Cursor& c);

  Module& m_;
  const ReadOptions& options_;
  bool sawCodeSection_ = false;
  bool sawDataSection_ = false;
  std::optional<SectionId> lastNonCustom_;
};

}  // namespace asyncify::detail
