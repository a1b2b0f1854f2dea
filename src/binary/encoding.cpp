#include "asyncify/binary/encoding.h"

#include <cstdio>
#include <cstring>
#include <optional>

namespace asyncify {

void writeVarU32(std::vector<uint8_t>& out, uint32_t v) {
  writeVarU64(out, v);
}

size_t varU32Size(uint32_t v) {
  size_t n = 1;
  for (; v >= 0x80; v >>= 7) n++;
  return n;
}

void writeVarU64(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(byte);
  } while (v);
}

void writeVarS32(std::vector<uint8_t>& out, int32_t v) {
  writeVarS64(out, v);
}

void writeVarS64(std::vector<uint8_t>& out, int64_t v) {
  for (;;) {
    uint8_t byte = v & 0x7f;
    v >>= 7;  // arithmetic shift (C++20)
    // Done once the rest is pure sign and the sign bit of this byte agrees with it.
    bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    if (done) {
      out.push_back(byte);
      return;
    }
    out.push_back(byte | 0x80);
  }
}

void writeName(std::vector<uint8_t>& out, std::string_view name) {
  writeVarU32(out, static_cast<uint32_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}

void writeFixedU32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only, as in Cursor
  out.insert(out.end(), b, b + 4);
}

void writeFixedU64(std::vector<uint8_t>& out, uint64_t v) {
  uint8_t b[8];
  std::memcpy(b, &v, 8);
  out.insert(out.end(), b, b + 8);
}

namespace {

bool isAbstractHeapCode(int64_t code) {
  return code >= HeapType::Exn && code <= HeapType::NoExn;
}

// The heap type of a one-byte reference type shorthand (0x69..0x74), or nullopt.
std::optional<HeapType> shorthandHeap(uint8_t byte) {
  int32_t code = static_cast<int32_t>(byte) - 0x80;  // the byte as s7
  if (isAbstractHeapCode(code)) return HeapType{code};
  return std::nullopt;
}

}  // namespace

HeapType readHeapType(Cursor& c) {
  uint64_t at = c.offset();
  int64_t v = c.readVarS33();
  if (v >= 0) {
    if (v > INT32_MAX) c.failAt(at, "type index " + std::to_string(v) + " out of range");
    return HeapType::index(static_cast<uint32_t>(v));
  }
  if (!isAbstractHeapCode(v)) c.failAt(at, "unknown heap type " + std::to_string(v));
  return HeapType{static_cast<int32_t>(v)};
}

ValType readValType(Cursor& c) {
  uint64_t at = c.offset();
  uint8_t byte = c.readByte();
  switch (byte) {
    case 0x7f:
      return ValType::i32();
    case 0x7e:
      return ValType::i64();
    case 0x7d:
      return ValType::f32();
    case 0x7c:
      return ValType::f64();
    case 0x7b:
      return ValType::v128();
    case 0x64:
      return ValType::ref(readHeapType(c), false);
    case 0x63:
      return ValType::ref(readHeapType(c), true);
    default:
      if (auto h = shorthandHeap(byte)) return ValType::ref(*h, true);
      char buf[48];
      std::snprintf(buf, sizeof buf, "unknown value type 0x%02x", byte);
      c.failAt(at, buf);
  }
}

void writeHeapType(std::vector<uint8_t>& out, HeapType h) {
  if (h.isIndex())
    writeVarS64(out, static_cast<int64_t>(h.typeIndex()));
  else
    out.push_back(static_cast<uint8_t>(h.code & 0x7f));
}

void writeValType(std::vector<uint8_t>& out, ValType t) {
  switch (t.kind) {
    case ValType::I32:
      out.push_back(0x7f);
      return;
    case ValType::I64:
      out.push_back(0x7e);
      return;
    case ValType::F32:
      out.push_back(0x7d);
      return;
    case ValType::F64:
      out.push_back(0x7c);
      return;
    case ValType::V128:
      out.push_back(0x7b);
      return;
    case ValType::Ref:
      if (t.nullable && !t.heap.isIndex()) {
        out.push_back(static_cast<uint8_t>(t.heap.code & 0x7f));  // shorthand
      } else {
        out.push_back(t.nullable ? 0x63 : 0x64);
        writeHeapType(out, t.heap);
      }
      return;
    case ValType::Bottom:
      break;
  }
  throw Error("cannot encode the bottom type");
}

Feature featureOf(ValType t) {
  switch (t.kind) {
    case ValType::V128:
      return Feature::Simd;
    case ValType::Ref: {
      if (t.heap.isIndex()) return Feature::FunctionReferences;
      switch (t.heap.code) {
        case HeapType::Func:
        case HeapType::Extern:
          return t.nullable ? Feature::ReferenceTypes : Feature::FunctionReferences;
        case HeapType::Exn:
        case HeapType::NoExn:
          return Feature::Exceptions;
        default:
          return Feature::Gc;
      }
    }
    default:
      return Feature::Mvp;
  }
}

}  // namespace asyncify
