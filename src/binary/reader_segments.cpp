// Constant expressions, element segments, function bodies and data segments: the sections
// whose items keep byte ranges into the input rather than copies.
#include <fmt/format.h>

#include "asyncify/binary/encoding.h"
#include "asyncify/binary/instr.h"
#include "reader_internal.h"

namespace asyncify::detail {

namespace {

bool isEnd(const Instr& i) {
  return i.info().prefix == 0 && i.info().code == 0x0b;
}

}  // namespace

ConstExpr ModuleReader::readConstExpr(Cursor& c) {
  uint64_t start = c.offset();
  auto rest = c.data().subspan(c.position());
  CodePools pools;
  InstrReader r(rest, start, pools);
  Instr in;
  for (;;) {
    if (r.atEnd()) c.failAt(start, "constant expression is missing its 'end'");
    uint64_t at = r.offset();
    r.next(in);
    if (isEnd(in)) break;
    const OpInfo& info = in.info();
    if (info.feature != Feature::Mvp) {
      m_.features.add(info.feature);
    } else if (info.imm == ImmKind::None) {
      m_.features.add(Feature::ExtendedConst);  // arithmetic in a constant expression
    }
    // Indices are checked here because constant expressions are not part of any body.
    auto check = [&](uint32_t index, uint32_t limit, const char* what) {
      if (index >= limit)
        c.failAt(at, fmt::format("{} index {} out of range in a constant expression", what, index));
    };
    switch (info.imm) {
      case ImmKind::Func:
        check(in.a, m_.numFunctions(), "function");
        break;
      case ImmKind::Global:
        check(in.a, m_.numGlobals(), "global");
        break;
      case ImmKind::Type:
      case ImmKind::TypeLen:
      case ImmKind::TypeField:
        check(in.a, static_cast<uint32_t>(m_.types.size()), "type");
        break;
      default:
        break;
    }
  }
  uint64_t end = r.offset();
  c.skip(end - start);
  ConstExpr e;
  e.range = {start, end};
  return e;
}

void ModuleReader::readElementSection(Cursor& c) {
  uint32_t n = c.readCount("element segment", 2);
  m_.elems.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    ElemSegment s;
    uint64_t at = c.offset();
    s.flags = c.readVarU32();
    if (s.flags > 7) c.failAt(at, fmt::format("malformed element segment flags {}", s.flags));
    bool notActive = s.flags & 1;
    bool explicitTableOrDeclarative = s.flags & 2;
    s.usesExprs = s.flags & 4;
    if (notActive) {
      s.mode = explicitTableOrDeclarative ? SegmentMode::Declarative : SegmentMode::Passive;
      m_.features.add(Feature::BulkMemory);
    } else {
      s.mode = SegmentMode::Active;
      if (explicitTableOrDeclarative) {
        s.table = readIndex(c, m_.numTables(), "table");
      } else if (m_.numTables() == 0) {
        c.failAt(at, "element segment uses table 0 but the module has no table");
      }
      s.offset = readConstExpr(c);
    }
    if (s.flags & 3) {
      uint64_t kindAt = c.offset();
      if (s.usesExprs) {
        s.type = readRefType(c);
      } else if (uint8_t kind = c.readByte(); kind != 0x00) {
        c.failAt(kindAt, fmt::format("unknown element kind 0x{:02x}", kind));
      }
    }
    if (s.usesExprs) {
      m_.features.add(Feature::ReferenceTypes);
      uint32_t count = c.readCount("element expression", 2);
      s.exprs.reserve(count);
      for (uint32_t j = 0; j < count; ++j) s.exprs.push_back(readConstExpr(c));
    } else {
      uint32_t count = c.readCount("element function index");
      s.functions.reserve(count);
      for (uint32_t j = 0; j < count; ++j)
        s.functions.push_back(readIndex(c, m_.numFunctions(), "function"));
    }
    if (s.table != 0) m_.features.add(Feature::ReferenceTypes);
    m_.elems.push_back(std::move(s));
  }
}

void ModuleReader::readCodeSection(Cursor& c) {
  sawCodeSection_ = true;
  uint64_t countAt = c.offset();
  uint32_t n = c.readCount("function body", 2);
  if (n != m_.functions.size())
    c.failAt(countAt, fmt::format("code section has {} bodies but the function section declares {}",
                                  n, m_.functions.size()));
  const uint32_t typeCount = static_cast<uint32_t>(m_.types.size());
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t sizeAt = c.offset();
    uint32_t size = c.readVarU32();
    if (size > c.remaining())
      c.failAt(sizeAt,
               fmt::format("function body size {} exceeds the {} bytes left", size, c.remaining()));
    uint64_t begin = c.offset();
    auto body = c.readBytes(size);
    if (size == 0) c.failAt(sizeAt, "empty function body");
    if (body.back() != 0x0b) c.failAt(begin + size - 1, "function body does not end with 'end'");
    FunctionCode code = readFunctionCode(body, begin);
    for (const ValType& t : code.locals) {
      if (t.isNumeric()) continue;
      if (t.isRef() && t.heap.isIndex() && t.heap.typeIndex() >= typeCount)
        c.failAt(begin, fmt::format("local of function {} refers to type {} out of range",
                                    m_.numImportedFunctions() + i, t.heap.typeIndex()));
      m_.features.add(featureOf(t));
    }
    m_.functions[i].body = {begin, begin + size};
  }
}

void ModuleReader::readDataSection(Cursor& c) {
  sawDataSection_ = true;
  uint64_t countAt = c.offset();
  uint32_t n = c.readCount("data segment", 2);
  if (m_.dataCount && *m_.dataCount != n)
    c.failAt(countAt, fmt::format("data section has {} segments but the data count section says {}",
                                  n, *m_.dataCount));
  m_.data.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment s;
    uint64_t at = c.offset();
    s.flags = c.readVarU32();
    switch (s.flags) {
      case 0:
        if (m_.numMemories() == 0)
          c.failAt(at, "data segment uses memory 0 but the module has no memory");
        s.offset = readConstExpr(c);
        break;
      case 1:
        s.mode = SegmentMode::Passive;
        m_.features.add(Feature::BulkMemory);
        break;
      case 2:
        s.memory = readIndex(c, m_.numMemories(), "memory");
        s.offset = readConstExpr(c);
        break;
      default:
        c.failAt(at, fmt::format("malformed data segment flags {}", s.flags));
    }
    uint64_t sizeAt = c.offset();
    uint32_t size = c.readVarU32();
    if (size > c.remaining())
      c.failAt(sizeAt,
               fmt::format("data segment size {} exceeds the {} bytes left", size, c.remaining()));
    uint64_t begin = c.offset();
    c.skip(size);
    s.data = {begin, begin + size};
    m_.data.push_back(std::move(s));
  }
}

}  // namespace asyncify::detail
