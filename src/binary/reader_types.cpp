// The type section (recursion groups, sub types, func/struct/array), the shared decoders of
// value/table/memory/global types and limits, and the import section.
#include <fmt/format.h>

#include "asyncify/binary/encoding.h"
#include "reader_internal.h"

namespace asyncify::detail {

ValType ModuleReader::readValType(Cursor& c, uint32_t typeLimit) {
  uint64_t at = c.offset();
  ValType t = asyncify::readValType(c);
  if (t.isRef() && t.heap.isIndex() && t.heap.typeIndex() >= typeLimit)
    c.failAt(at,
             fmt::format("type index {} out of range ({} types)", t.heap.typeIndex(), typeLimit));
  Feature f = featureOf(t);
  if (f != Feature::Mvp) m_.features.add(f);
  return t;
}

ValType ModuleReader::readRefType(Cursor& c) {
  uint64_t at = c.offset();
  ValType t = readValType(c);
  if (!t.isRef()) c.failAt(at, fmt::format("expected a reference type, got {}", toString(t)));
  return t;
}

Limits ModuleReader::readLimits(Cursor& c, bool isMemory, std::optional<uint32_t>* pageSizeLog2) {
  uint64_t at = c.offset();
  uint8_t flags = c.readByte();
  uint8_t allowed = isMemory ? 0x0f : 0x05;
  if (flags & ~allowed)
    c.failAt(at, fmt::format("malformed {} limits flags 0x{:02x}", isMemory ? "memory" : "table",
                             flags));
  Limits l;
  l.shared = flags & 0x02;
  l.is64 = flags & 0x04;
  l.min = l.is64 ? c.readVarU64() : c.readVarU32();
  if (flags & 0x01) l.max = l.is64 ? c.readVarU64() : c.readVarU32();
  if (flags & 0x08) {
    uint64_t pageAt = c.offset();
    uint32_t log2 = c.readVarU32();
    if (log2 != 0 && log2 != 16) c.failAt(pageAt, fmt::format("unsupported page size 2^{}", log2));
    if (pageSizeLog2) *pageSizeLog2 = log2;
  }
  if (l.is64) m_.features.add(Feature::Memory64);
  if (l.shared) m_.features.add(Feature::Threads);
  return l;
}

TableType ModuleReader::readTableType(Cursor& c) {
  TableType t;
  t.elem = readRefType(c);
  t.limits = readLimits(c, false, nullptr);
  return t;
}

MemoryType ModuleReader::readMemoryType(Cursor& c) {
  MemoryType t;
  t.limits = readLimits(c, true, &t.pageSizeLog2);
  return t;
}

GlobalType ModuleReader::readGlobalType(Cursor& c) {
  GlobalType g;
  g.type = readValType(c);
  uint64_t at = c.offset();
  uint8_t mut = c.readByte();
  if (mut > 1) c.failAt(at, fmt::format("malformed mutability 0x{:02x}", mut));
  g.mutable_ = mut == 1;
  return g;
}

uint32_t ModuleReader::readIndex(Cursor& c, uint32_t limit, const char* what) {
  uint64_t at = c.offset();
  uint32_t i = c.readVarU32();
  if (i >= limit) {
    std::string plural = std::string_view(what) == "memory" ? "memories" : std::string(what) + "s";
    c.failAt(at, fmt::format("{} index {} out of range ({} {})", what, i, limit, plural));
  }
  return i;
}

uint32_t ModuleReader::readTypeIndex(Cursor& c, bool mustBeFunc) {
  uint64_t at = c.offset();
  uint32_t i = readIndex(c, static_cast<uint32_t>(m_.types.size()), "type");
  if (mustBeFunc && m_.types[i].kind != SubType::Func)
    c.failAt(at, fmt::format("type {} is not a function type", i));
  return i;
}

FuncType ModuleReader::readFuncType(Cursor& c, uint32_t typeLimit) {
  FuncType f;
  uint32_t n = c.readCount("parameter");
  f.params.reserve(n);
  for (uint32_t i = 0; i < n; ++i) f.params.push_back(readValType(c, typeLimit));
  n = c.readCount("result");
  f.results.reserve(n);
  for (uint32_t i = 0; i < n; ++i) f.results.push_back(readValType(c, typeLimit));
  if (f.results.size() > 1) m_.features.add(Feature::MultiValue);
  return f;
}

FieldType ModuleReader::readFieldType(Cursor& c, uint32_t typeLimit) {
  FieldType f;
  uint8_t b = c.peekByte();
  if (b == 0x78 || b == 0x77) {
    c.readByte();
    f.storage.packed = b == 0x78 ? StorageType::I8 : StorageType::I16;
  } else {
    f.storage.type = readValType(c, typeLimit);
  }
  uint64_t at = c.offset();
  uint8_t mut = c.readByte();
  if (mut > 1) c.failAt(at, fmt::format("malformed mutability 0x{:02x}", mut));
  f.mutable_ = mut == 1;
  return f;
}

void ModuleReader::readSubType(Cursor& c, uint32_t groupStart, uint32_t groupSize) {
  SubType t;
  t.recGroupStart = groupStart;
  t.recGroupSize = groupSize;
  uint32_t limit = groupStart + groupSize;
  uint8_t b = c.peekByte();
  if (b == 0x50 || b == 0x4f) {
    c.readByte();
    m_.features.add(Feature::Gc);
    t.final = b == 0x4f;
    uint32_t n = c.readCount("supertype");
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t at = c.offset();
      uint32_t s = c.readVarU32();
      if (s >= limit) c.failAt(at, fmt::format("supertype index {} out of range", s));
      t.supertypes.push_back(s);
    }
  }
  uint64_t at = c.offset();
  uint8_t form = c.readByte();
  switch (form) {
    case 0x60:
      t.kind = SubType::Func;
      t.func = readFuncType(c, limit);
      break;
    case 0x5f: {
      t.kind = SubType::Struct;
      m_.features.add(Feature::Gc);
      uint32_t n = c.readCount("struct field", 2);
      t.fields.reserve(n);
      for (uint32_t i = 0; i < n; ++i) t.fields.push_back(readFieldType(c, limit));
      break;
    }
    case 0x5e:
      t.kind = SubType::Array;
      m_.features.add(Feature::Gc);
      t.fields.push_back(readFieldType(c, limit));
      break;
    default:
      c.failAt(at, fmt::format("unknown type form 0x{:02x}", form));
  }
  m_.types.push_back(std::move(t));
}

void ModuleReader::readTypeSection(Cursor& c) {
  uint32_t n = c.readCount("type");
  m_.types.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t start = static_cast<uint32_t>(m_.types.size());
    if (c.peekByte() == 0x4e) {
      c.readByte();
      m_.features.add(Feature::Gc);
      uint32_t size = c.readCount("recursion group type");
      for (uint32_t j = 0; j < size; ++j) readSubType(c, start, size);
    } else {
      readSubType(c, start, 1);
    }
  }
}

void ModuleReader::readImportSection(Cursor& c) {
  uint32_t n = c.readCount("import", 4);
  m_.imports.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Import imp;
    imp.module = c.readName();
    imp.name = c.readName();
    uint64_t at = c.offset();
    uint8_t kind = c.readByte();
    switch (kind) {
      case 0:
        imp.typeIndex = readTypeIndex(c, true);
        break;
      case 1:
        imp.table = readTableType(c);
        break;
      case 2:
        imp.memory = readMemoryType(c);
        break;
      case 3:
        imp.global = readGlobalType(c);
        break;
      case 4: {
        m_.features.add(Feature::Exceptions);
        uint64_t attrAt = c.offset();
        imp.tagAttribute = c.readByte();
        if (imp.tagAttribute != 0)
          c.failAt(attrAt, fmt::format("unknown tag attribute {}", imp.tagAttribute),
                   "exception-handling");
        imp.typeIndex = readTypeIndex(c, true);
        break;
      }
      default:
        c.failAt(at, fmt::format("unknown import kind 0x{:02x}", kind));
    }
    imp.kind = static_cast<ExternKind>(kind);
    m_.imports.push_back(std::move(imp));
  }
  m_.countImports();
}

}  // namespace asyncify::detail
