// The small sections: function, table, memory, tag, global, export, start, data count, custom.
#include <fmt/format.h>

#include "reader_internal.h"

namespace asyncify::detail {

void ModuleReader::readFunctionSection(Cursor& c) {
  uint32_t n = c.readCount("function");
  m_.functions.resize(n);
  for (uint32_t i = 0; i < n; ++i) m_.functions[i].typeIndex = readTypeIndex(c, true);
}

void ModuleReader::readTableSection(Cursor& c) {
  uint32_t n = c.readCount("table", 3);
  m_.tables.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Table t;
    if (c.peekByte() == 0x40) {
      c.readByte();
      uint64_t at = c.offset();
      if (c.readByte() != 0x00)
        c.failAt(at, "malformed table initializer prefix (expected 0x40 0x00)");
      m_.features.add(Feature::FunctionReferences);
      t.type = readTableType(c);
      t.init = readConstExpr(c);
    } else {
      t.type = readTableType(c);
    }
    m_.tables.push_back(std::move(t));
  }
}

void ModuleReader::readMemorySection(Cursor& c) {
  uint32_t n = c.readCount("memory", 2);
  m_.memories.reserve(n);
  for (uint32_t i = 0; i < n; ++i) m_.memories.push_back(readMemoryType(c));
}

void ModuleReader::readTagSection(Cursor& c) {
  m_.features.add(Feature::Exceptions);
  uint32_t n = c.readCount("tag", 2);
  m_.tags.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    TagType t;
    uint64_t at = c.offset();
    t.attribute = c.readByte();
    if (t.attribute != 0)
      c.failAt(at, fmt::format("unknown tag attribute {}", t.attribute), "exception-handling");
    t.typeIndex = readTypeIndex(c, true);
    m_.tags.push_back(t);
  }
}

void ModuleReader::readGlobalSection(Cursor& c) {
  uint32_t n = c.readCount("global", 3);
  m_.globals.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Global g;
    g.type = readGlobalType(c);
    g.init = readConstExpr(c);
    m_.globals.push_back(std::move(g));
  }
}

void ModuleReader::readExportSection(Cursor& c) {
  uint32_t n = c.readCount("export", 3);
  m_.exports.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Export e;
    e.name = c.readName();
    uint64_t at = c.offset();
    uint8_t kind = c.readByte();
    switch (kind) {
      case 0:
        e.index = readIndex(c, m_.numFunctions(), "function");
        break;
      case 1:
        e.index = readIndex(c, m_.numTables(), "table");
        break;
      case 2:
        e.index = readIndex(c, m_.numMemories(), "memory");
        break;
      case 3:
        e.index = readIndex(c, m_.numGlobals(), "global");
        break;
      case 4:
        e.index = readIndex(c, m_.numTags(), "tag");
        break;
      default:
        c.failAt(at, fmt::format("unknown export kind 0x{:02x}", kind));
    }
    e.kind = static_cast<ExternKind>(kind);
    m_.exports.push_back(std::move(e));
  }
}

void ModuleReader::readStartSection(Cursor& c) {
  m_.start = readIndex(c, m_.numFunctions(), "function");
}

void ModuleReader::readDataCountSection(Cursor& c) {
  m_.features.add(Feature::BulkMemory);
  m_.dataCount = c.readVarU32();
}

void ModuleReader::readCustomSection(Cursor& c, const Module::SectionRecord& record) {
  CustomSection s;
  s.name = c.readName();
  s.payload = {c.offset(), record.payload.end};
  s.after = lastNonCustom_;
  if (s.name == "name" && !m_.nameSectionIndex) {
    m_.nameSectionIndex = m_.customs.size();
    if (options_.parseNames)
      m_.names = parseNameSection(c.readBytes(c.remaining()), s.payload.begin);
  }
  m_.customs.push_back(std::move(s));
}

}  // namespace asyncify::detail
