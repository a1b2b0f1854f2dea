// Decoding of function bodies: the hot path of every consumer (the validator streams every
// body through InstrReader). One table lookup and one switch per instruction; one-byte LEB128
// values, by far the most common, are read inline and everything else goes through Cursor,
// which owns the exact overflow and truncation rules.
#include <cstdio>
#include <cstring>

#include "asyncify/binary/encoding.h"
#include "asyncify/binary/instr.h"
#include "op_tables.h"

namespace asyncify {

namespace {

Feature featureOfPrefix(uint8_t prefix) {
  switch (prefix) {
    case 0xfb:
      return Feature::Gc;
    case 0xfd:
      return Feature::Simd;
    case 0xfe:
      return Feature::Threads;
    default:
      return Feature::BulkMemory;  // 0xfc
  }
}

[[noreturn, gnu::noinline, gnu::cold]] void failUnknown(uint64_t at, uint8_t prefix,
                                                        uint32_t code) {
  char buf[64];
  if (prefix == 0) {
    std::snprintf(buf, sizeof buf, "unknown opcode 0x%02x", code);
    throw Error(buf, at);
  }
  std::snprintf(buf, sizeof buf, "unknown opcode 0x%02x 0x%x", prefix, code);
  throw Error(buf, at, std::string(featureName(featureOfPrefix(prefix))));
}

// Reads from a raw position; slow paths and rare immediates delegate to a Cursor.
class Decoder {
 public:
  Decoder(std::span<const uint8_t> code, size_t pos, uint64_t base)
      : code_(code), pos_(pos), base_(base) {}

  size_t pos() const { return pos_; }
  uint64_t offset() const { return base_ + pos_; }
  Cursor cursor() const { return Cursor(code_.subspan(pos_), base_ + pos_); }
  uint8_t peek() {
    if (pos_ >= code_.size()) [[unlikely]]
      cursor().fail("unexpected end of code");
    return code_[pos_];
  }
  // Reads through a Cursor at the current position (slow paths, rare immediates).
  template <typename F>
  auto slow(F&& read) {
    Cursor c = cursor();
    auto v = read(c);
    pos_ += c.position();
    return v;
  }

  uint8_t byte() {
    if (pos_ >= code_.size()) [[unlikely]]
      cursor().fail("unexpected end of code");
    return code_[pos_++];
  }
  // One-byte LEB128 values inline; longer ones (and every error) out of line.
  [[gnu::always_inline]] uint32_t u32() {
    if (pos_ < code_.size() && code_[pos_] < 0x80) [[likely]]
      return code_[pos_++];
    return slowU32();
  }
  [[gnu::always_inline]] uint64_t u64() {
    if (pos_ < code_.size() && code_[pos_] < 0x80) [[likely]]
      return code_[pos_++];
    return slowU64();
  }
  [[gnu::always_inline]] int32_t s32() {
    if (pos_ < code_.size() && code_[pos_] < 0x80) [[likely]] {
      // Sign-extend the 7-bit payload.
      return static_cast<int32_t>(static_cast<uint32_t>(code_[pos_++]) << 25) >> 25;
    }
    return slowS32();
  }
  int64_t s64() {
    if (pos_ < code_.size() && code_[pos_] < 0x80) [[likely]]
      return static_cast<int64_t>(static_cast<uint64_t>(code_[pos_++]) << 57) >> 57;
    return slow([](Cursor& c) { return c.readVarS64(); });
  }
  [[gnu::noinline]] uint32_t slowU32() {
    return slow([](Cursor& c) { return c.readVarU32(); });
  }
  [[gnu::noinline]] uint64_t slowU64() {
    return slow([](Cursor& c) { return c.readVarU64(); });
  }
  [[gnu::noinline]] int32_t slowS32() {
    return slow([](Cursor& c) { return c.readVarS32(); });
  }
  std::span<const uint8_t> bytes(size_t n) {
    if (code_.size() - pos_ < n) [[unlikely]]
      cursor().fail("unexpected end of code: need " + std::to_string(n) + " bytes");
    auto s = code_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  HeapType heapType() {
    return slow([](Cursor& c) { return readHeapType(c); });
  }
  ValType valType() {
    return slow([](Cursor& c) { return readValType(c); });
  }
  // A count of items at least `minBytes` each, checked against the bytes left.
  uint32_t count(const char* what, size_t minBytes) {
    return slow([&](Cursor& c) { return c.readCount(what, minBytes); });
  }
  BlockType blockType() {
    uint8_t first = peek();
    if (first == 0x40) {
      ++pos_;
      return {};
    }
    BlockType bt;
    if (first >= 0x40 && first < 0x80) {  // a negative one-byte s33: a value type
      bt.kind = BlockType::Value;
      bt.value = valType();
      return bt;
    }
    uint64_t at = offset();
    int64_t index = slow([](Cursor& c) { return c.readVarS33(); });
    if (index < 0) cursor().failAt(at, "invalid block type " + std::to_string(index));
    bt.kind = BlockType::Index;
    bt.index = static_cast<uint32_t>(index);
    return bt;
  }

 private:
  std::span<const uint8_t> code_;
  size_t pos_;
  uint64_t base_;
};

void readMemArg(Decoder& d, Instr& out) {
  uint64_t at = d.offset();
  uint32_t flags = d.u32();
  if (flags >= 0x80)
    d.cursor().failAt(
        at, "alignment exponent " + std::to_string(flags) + " too large in memory access");
  if (flags & 0x40) {
    out.a = d.u32();  // multi-memory: an explicit memory index follows
    flags &= ~0x40u;
  }
  out.b = flags;
  out.value = d.u64();
}

}  // namespace

FunctionCode readFunctionCode(std::span<const uint8_t> body, uint64_t bodyOffset,
                              uint64_t maxLocals) {
  Cursor c(body, bodyOffset);
  FunctionCode fc;
  uint32_t groups = c.readCount("local declaration", 2);
  // Two passes: the first checks every group and the total before anything the size of it is
  // allocated, the second (over the same, now valid, bytes) fills the locals.
  const Cursor groupsStart = c;
  uint64_t total = 0;
  for (uint32_t i = 0; i < groups; ++i) {
    uint64_t at = c.offset();
    total += c.readVarU32();
    if (total > maxLocals)
      c.failAt(at, "too many locals: " + std::to_string(total) + " exceed the limit of " +
                       std::to_string(maxLocals));
    readValType(c);
  }
  fc.locals.reserve(total);
  Cursor fill = groupsStart;
  for (uint32_t i = 0; i < groups; ++i) {
    uint32_t n = fill.readVarU32();
    fc.locals.insert(fc.locals.end(), n, readValType(fill));
  }
  fc.codeOffset = c.offset();
  fc.code = body.subspan(c.position());
  if (fc.code.empty() || fc.code.back() != 0x0b)
    c.failAt(bodyOffset + body.size(), "function body does not end with `end`");
  return fc;
}

InstrReader::InstrReader(std::span<const uint8_t> code, uint64_t codeOffset, CodePools& pools)
    : code_(code), base_(codeOffset), pools_(pools) {}

void InstrReader::next(Instr& out) {
  Decoder d(code_, pos_, base_);
  uint64_t at = d.offset();
  out = Instr{};
  out.offset = at;
  uint8_t first = d.byte();
  uint16_t index = detail::kDecodeMain[first];
  if (index == detail::kNoOp) [[unlikely]] {
    if (first < 0xfb || first > 0xfe) failUnknown(at, 0, first);
    uint32_t code = d.u32();
    index = detail::decodeOp(first, code);
    if (index == detail::kNoOp) failUnknown(at, first, code);
  }
  out.op = static_cast<Op>(index);
  switch (detail::kImmKinds[index]) {
    case ImmKind::None:
      break;
    case ImmKind::Block:
      out.block = d.blockType();
      break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Memory:
    case ImmKind::Tag:
    case ImmKind::Type:
    case ImmKind::Data:
    case ImmKind::Elem:
      out.a = d.u32();
      break;
    case ImmKind::CallIndirect:
    case ImmKind::TypeField:
    case ImmKind::TypeType:
    case ImmKind::TypeData:
    case ImmKind::TypeElem:
    case ImmKind::TypeLen:
    case ImmKind::TableTable:
    case ImmKind::ElemTable:
    case ImmKind::MemMem:
    case ImmKind::DataMem:
      out.a = d.u32();
      out.b = d.u32();
      break;
    case ImmKind::BrTable: {
      uint32_t n = d.count("br_table target", 1);
      out.value = pools_.labels.size();
      out.b = n;
      for (uint32_t i = 0; i <= n; ++i) pools_.labels.push_back(d.u32());
      break;
    }
    case ImmKind::MemArg:
      readMemArg(d, out);
      break;
    case ImmKind::MemArgLane:
      readMemArg(d, out);
      out.lane = d.byte();
      break;
    case ImmKind::I32:
      out.value = static_cast<uint64_t>(static_cast<int64_t>(d.s32()));
      break;
    case ImmKind::I64:
      out.value = static_cast<uint64_t>(d.s64());
      break;
    case ImmKind::F32: {
      uint32_t bits;
      std::memcpy(&bits, d.bytes(4).data(), 4);
      out.value = bits;
      break;
    }
    case ImmKind::F64:
      std::memcpy(&out.value, d.bytes(8).data(), 8);
      break;
    case ImmKind::V128:
    case ImmKind::Shuffle: {
      auto b = d.bytes(16);
      out.value = pools_.v128.size();
      auto& v = pools_.v128.emplace_back();
      std::memcpy(v.data(), b.data(), 16);
      break;
    }
    case ImmKind::Lane:
      out.lane = d.byte();
      break;
    case ImmKind::SelectTyped: {
      uint32_t n = d.count("select type", 1);
      out.value = pools_.types.size();
      out.b = n;
      for (uint32_t i = 0; i < n; ++i) pools_.types.push_back(d.valType());
      break;
    }
    case ImmKind::HeapType:
      out.type = ValType::ref(d.heapType(), true);
      break;
    case ImmKind::RefCast:
      out.type = ValType::ref(d.heapType(), out.op == Op::RefTestNull || out.op == Op::RefCastNull);
      break;
    case ImmKind::BrOnCast: {
      uint64_t flagsAt = d.offset();
      out.lane = d.byte();
      if (out.lane > 3)
        d.cursor().failAt(flagsAt, "invalid br_on_cast flags " + std::to_string(out.lane),
                          std::string(featureName(Feature::Gc)));
      out.a = d.u32();
      out.type = ValType::ref(d.heapType(), out.lane & 1);
      out.b = static_cast<uint32_t>(d.heapType().code);
      break;
    }
    case ImmKind::TryTable: {
      out.block = d.blockType();
      uint32_t n = d.count("catch clause", 2);
      out.value = pools_.catches.size();
      out.b = n;
      for (uint32_t i = 0; i < n; ++i) {
        uint64_t kindAt = d.offset();
        uint8_t kind = d.byte();
        if (kind > CatchClause::CatchAllRef)
          d.cursor().failAt(kindAt, "invalid catch clause kind " + std::to_string(kind),
                            std::string(featureName(Feature::Exceptions)));
        CatchClause clause;
        clause.kind = static_cast<CatchClause::Kind>(kind);
        if (kind <= CatchClause::CatchRef) clause.tag = d.u32();
        clause.label = d.u32();
        pools_.catches.push_back(clause);
      }
      break;
    }
    case ImmKind::Zero: {
      uint64_t zeroAt = d.offset();
      if (d.byte() != 0)
        d.cursor().failAt(zeroAt, "expected a zero byte",
                          std::string(featureName(Feature::Threads)));
      break;
    }
  }
  pos_ = d.pos();
}

std::vector<Instr> decodeAll(std::span<const uint8_t> code, uint64_t codeOffset, CodePools& pools) {
  std::vector<Instr> out;
  out.reserve(code.size() / 3 + 1);  // instructions average a little over two bytes
  InstrReader reader(code, codeOffset, pools);
  while (!reader.atEnd()) reader.next(out.emplace_back());
  return out;
}

}  // namespace asyncify
