// Re-encoding of changed sections. Items keep their original bytes where they have them
// (constant expressions, function bodies, data), so only the framing is produced here.
#include <fmt/format.h>

#include "asyncify/binary/encoding.h"
#include "asyncify/binary/error.h"
#include "writer_internal.h"

namespace asyncify::detail {

namespace {

using Bytes = std::vector<uint8_t>;

void append(Bytes& out, std::span<const uint8_t> b) {
  out.insert(out.end(), b.begin(), b.end());
}

void writeExpr(const Module& m, Bytes& out, const ConstExpr& e, const char* where) {
  auto b = m.exprBytes(e);
  if (b.empty()) throw Error(fmt::format("cannot write an empty constant expression in {}", where));
  append(out, b);
}

void writeLimits(Bytes& out, const Limits& l, std::optional<uint32_t> pageSizeLog2) {
  uint8_t flags = (l.max ? 1 : 0) | (l.shared ? 2 : 0) | (l.is64 ? 4 : 0) | (pageSizeLog2 ? 8 : 0);
  out.push_back(flags);
  auto value = [&](uint64_t v) {
    l.is64 ? writeVarU64(out, v) : writeVarU32(out, static_cast<uint32_t>(v));
  };
  value(l.min);
  if (l.max) value(*l.max);
  if (pageSizeLog2) writeVarU32(out, *pageSizeLog2);
}

void writeTableType(Bytes& out, const TableType& t) {
  writeValType(out, t.elem);
  writeLimits(out, t.limits, std::nullopt);
}

void writeGlobalType(Bytes& out, const GlobalType& g) {
  writeValType(out, g.type);
  out.push_back(g.mutable_ ? 1 : 0);
}

void writeFieldType(Bytes& out, const FieldType& f) {
  switch (f.storage.packed) {
    case StorageType::I8:
      out.push_back(0x78);
      break;
    case StorageType::I16:
      out.push_back(0x77);
      break;
    case StorageType::None:
      writeValType(out, f.storage.type);
      break;
  }
  out.push_back(f.mutable_ ? 1 : 0);
}

void writeSubType(Bytes& out, const SubType& t) {
  if (!t.final || !t.supertypes.empty()) {
    out.push_back(t.final ? 0x4f : 0x50);
    writeVarU32(out, static_cast<uint32_t>(t.supertypes.size()));
    for (uint32_t s : t.supertypes) writeVarU32(out, s);
  }
  switch (t.kind) {
    case SubType::Func:
      out.push_back(0x60);
      writeVarU32(out, static_cast<uint32_t>(t.func.params.size()));
      for (ValType v : t.func.params) writeValType(out, v);
      writeVarU32(out, static_cast<uint32_t>(t.func.results.size()));
      for (ValType v : t.func.results) writeValType(out, v);
      break;
    case SubType::Struct:
      out.push_back(0x5f);
      writeVarU32(out, static_cast<uint32_t>(t.fields.size()));
      for (const FieldType& f : t.fields) writeFieldType(out, f);
      break;
    case SubType::Array:
      out.push_back(0x5e);
      if (t.fields.size() != 1) throw Error("an array type needs exactly one field");
      writeFieldType(out, t.fields[0]);
      break;
  }
}

bool writeTypes(const Module& m, Bytes& out) {
  uint32_t groups = 0;
  for (uint32_t i = 0; i < m.types.size(); i += m.types[i].recGroupSize) {
    if (m.types[i].recGroupStart != i || m.types[i].recGroupSize == 0 ||
        i + m.types[i].recGroupSize > m.types.size())
      throw Error(fmt::format("inconsistent recursion group at type {}", i));
    ++groups;
  }
  writeVarU32(out, groups);
  for (uint32_t i = 0; i < m.types.size(); i += m.types[i].recGroupSize) {
    uint32_t size = m.types[i].recGroupSize;
    if (size > 1) {
      out.push_back(0x4e);
      writeVarU32(out, size);
    }
    for (uint32_t j = i; j < i + size; ++j) writeSubType(out, m.types[j]);
  }
  return !m.types.empty();
}

void writeImport(Bytes& out, const Import& imp) {
  writeName(out, imp.module);
  writeName(out, imp.name);
  out.push_back(static_cast<uint8_t>(imp.kind));
  switch (imp.kind) {
    case ExternKind::Func:
      writeVarU32(out, imp.typeIndex);
      break;
    case ExternKind::Table:
      writeTableType(out, imp.table);
      break;
    case ExternKind::Memory:
      writeLimits(out, imp.memory.limits, imp.memory.pageSizeLog2);
      break;
    case ExternKind::Global:
      writeGlobalType(out, imp.global);
      break;
    case ExternKind::Tag:
      out.push_back(imp.tagAttribute);
      writeVarU32(out, imp.typeIndex);
      break;
  }
}

void writeElem(const Module& m, Bytes& out, const ElemSegment& e) {
  bool funcref = e.type == ValType::funcref();
  uint32_t flags = e.usesExprs ? 4 : 0;
  bool explicitTable = false;
  switch (e.mode) {
    case SegmentMode::Active:
      // Keep an explicit table index where the input had one; it is required otherwise.
      explicitTable = (e.flags & 2) || e.table != 0 || !funcref;
      if (explicitTable) flags |= 2;
      break;
    case SegmentMode::Passive:
      flags |= 1;
      break;
    case SegmentMode::Declarative:
      flags |= 3;
      break;
  }
  writeVarU32(out, flags);
  if (explicitTable) writeVarU32(out, e.table);
  if (e.mode == SegmentMode::Active) writeExpr(m, out, e.offset, "an element segment offset");
  if (flags & 3) {
    if (e.usesExprs) {
      writeValType(out, e.type);
    } else {
      out.push_back(0x00);  // elemkind funcref
    }
  }
  if (e.usesExprs) {
    writeVarU32(out, static_cast<uint32_t>(e.exprs.size()));
    for (const ConstExpr& x : e.exprs) writeExpr(m, out, x, "an element expression");
  } else {
    writeVarU32(out, static_cast<uint32_t>(e.functions.size()));
    for (uint32_t f : e.functions) writeVarU32(out, f);
  }
}

void writeData(const Module& m, Bytes& out, const DataSegment& d) {
  if (d.mode == SegmentMode::Passive) {
    out.push_back(1);
  } else if (d.memory != 0 || d.flags == 2) {
    out.push_back(2);
    writeVarU32(out, d.memory);
  } else {
    out.push_back(0);
  }
  if (d.mode != SegmentMode::Passive) writeExpr(m, out, d.offset, "a data segment offset");
  std::span<const uint8_t> bytes =
      d.newData.empty() ? m.range(d.data) : std::span<const uint8_t>(d.newData);
  writeVarU32(out, static_cast<uint32_t>(bytes.size()));
  append(out, bytes);
}

template <class T, class F>
bool writeVector(Bytes& out, const std::vector<T>& items, F&& each) {
  writeVarU32(out, static_cast<uint32_t>(items.size()));
  for (const T& item : items) each(item);
  return !items.empty();
}

}  // namespace

bool encodeSection(const Module& m, SectionId id, Bytes& out) {
  switch (id) {
    case SectionId::Type:
      return writeTypes(m, out);
    case SectionId::Import:
      return writeVector(out, m.imports, [&](const Import& i) { writeImport(out, i); });
    case SectionId::Function:
      return writeVector(out, m.functions,
                         [&](const Function& f) { writeVarU32(out, f.typeIndex); });
    case SectionId::Table:
      return writeVector(out, m.tables, [&](const Table& t) {
        if (t.init) {
          out.push_back(0x40);
          out.push_back(0x00);
          writeTableType(out, t.type);
          writeExpr(m, out, *t.init, "a table initializer");
        } else {
          writeTableType(out, t.type);
        }
      });
    case SectionId::Memory:
      return writeVector(out, m.memories,
                         [&](const MemoryType& t) { writeLimits(out, t.limits, t.pageSizeLog2); });
    case SectionId::Tag:
      return writeVector(out, m.tags, [&](const TagType& t) {
        out.push_back(t.attribute);
        writeVarU32(out, t.typeIndex);
      });
    case SectionId::Global:
      return writeVector(out, m.globals, [&](const Global& g) {
        writeGlobalType(out, g.type);
        writeExpr(m, out, g.init, "a global initializer");
      });
    case SectionId::Export:
      return writeVector(out, m.exports, [&](const Export& e) {
        writeName(out, e.name);
        out.push_back(static_cast<uint8_t>(e.kind));
        writeVarU32(out, e.index);
      });
    case SectionId::Start:
      if (!m.start) return false;
      writeVarU32(out, *m.start);
      return true;
    case SectionId::Element:
      return writeVector(out, m.elems, [&](const ElemSegment& e) { writeElem(m, out, e); });
    case SectionId::DataCount:
      if (!m.dataCount) return false;
      writeVarU32(out, static_cast<uint32_t>(m.data.size()));  // must agree with the data section
      return true;
    case SectionId::Code: {
      uint32_t index = m.numImportedFunctions();
      return writeVector(out, m.functions, [&](const Function& f) {
        auto body = m.bodyBytes(f);
        if (body.empty()) throw Error(fmt::format("function {} has no body", index));
        writeVarU32(out, static_cast<uint32_t>(body.size()));
        append(out, body);
        ++index;
      });
    }
    case SectionId::Data:
      return writeVector(out, m.data, [&](const DataSegment& d) { writeData(m, out, d); });
    case SectionId::Custom:
      break;
  }
  throw Error("internal error: custom sections are not encoded by encodeSection");
}

}  // namespace asyncify::detail
