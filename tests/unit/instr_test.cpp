// The instruction codec on hand-written bytes: every immediate kind decodes to the documented
// fields and re-encodes to the same bytes; every operator in the table round-trips; malformed
// and unknown encodings fail with the offset (and feature) they concern.
#include "asyncify/binary/instr.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "asyncify/binary/encoding.h"

namespace asyncify {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kBase = 0x1000;  // absolute offset given to the decoder

struct Case {
  Bytes bytes;
  Op op;
  std::function<void(const Instr&, const CodePools&)> check = [](const Instr&, const CodePools&) {};
};

std::vector<Case> handWrittenCases() {
  auto v16 = [](uint8_t first) {
    Bytes b;
    for (int i = 0; i < 16; ++i) b.push_back(static_cast<uint8_t>(first + i));
    return b;
  };
  auto cat = [](Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  auto ab = [](uint32_t a, uint32_t b) {
    return [=](const Instr& i, const CodePools&) {
      EXPECT_EQ(i.a, a);
      EXPECT_EQ(i.b, b);
    };
  };
  auto onlyA = [](uint32_t a) {
    return [=](const Instr& i, const CodePools&) { EXPECT_EQ(i.a, a); };
  };
  return {
      {{0x01}, Op::Nop},
      {{0x6a}, Op::I32Add},
      {{0x0b}, Op::End},
      // Block types: empty, a value type, a type index (one and several bytes).
      {{0x02, 0x40},
       Op::Block,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.block.kind, BlockType::Empty); }},
      {{0x03, 0x7f},
       Op::Loop,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.block.kind, BlockType::Value);
         EXPECT_EQ(i.block.value, ValType::i32());
       }},
      {{0x04, 0x64, 0x70},
       Op::If,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.block.kind, BlockType::Value);
         EXPECT_EQ(i.block.value, ValType::ref(HeapType{HeapType::Func}, false));
       }},
      {{0x02, 0x05},
       Op::Block,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.block.kind, BlockType::Index);
         EXPECT_EQ(i.block.index, 5u);
       }},
      {{0x02, 0x80, 0x01},
       Op::Block,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.block.index, 128u); }},
      {{0x06, 0xff, 0xff, 0xff, 0xff, 0x0f},
       Op::Try,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.block.kind, BlockType::Index);
         EXPECT_EQ(i.block.index, 0xffffffffu);
       }},
      {{0x0c, 0x03}, Op::Br, onlyA(3)},
      {{0x0d, 0x80, 0x01}, Op::BrIf, onlyA(128)},
      {{0xd5, 0x02}, Op::BrOnNull, onlyA(2)},
      {{0x0e, 0x02, 0x01, 0x02, 0x00},
       Op::BrTable,
       [](const Instr& i, const CodePools& p) {
         EXPECT_EQ(i.b, 2u);
         ASSERT_EQ(p.labels.size(), 4u);  // after the entry the test put there first
         EXPECT_EQ(p.labels[i.value], 1u);
         EXPECT_EQ(p.labels[i.value + 1], 2u);
         EXPECT_EQ(p.labels[i.value + 2], 0u);  // default last
       }},
      {{0x0e, 0x00, 0x07},
       Op::BrTable,
       [](const Instr& i, const CodePools& p) {
         EXPECT_EQ(i.b, 0u);
         EXPECT_EQ(p.labels[i.value], 7u);
       }},
      {{0x10, 0xe5, 0x8e, 0x26}, Op::Call, onlyA(624485)},
      {{0x12, 0x00}, Op::ReturnCall, onlyA(0)},
      {{0x11, 0x02, 0x00}, Op::CallIndirect, ab(2, 0)},
      {{0x13, 0x02, 0x01}, Op::ReturnCallIndirect, ab(2, 1)},
      {{0x20, 0x00}, Op::LocalGet, onlyA(0)},
      {{0x22, 0xff, 0xff, 0xff, 0xff, 0x0f}, Op::LocalTee, onlyA(0xffffffff)},
      {{0x24, 0x01}, Op::GlobalSet, onlyA(1)},
      {{0x25, 0x02}, Op::TableGet, onlyA(2)},
      {{0xfc, 0x0f, 0x01}, Op::TableGrow, onlyA(1)},
      {{0x3f, 0x00}, Op::MemorySize, onlyA(0)},
      {{0x40, 0x01}, Op::MemoryGrow, onlyA(1)},  // multi-memory
      {{0xfc, 0x0b, 0x02}, Op::MemoryFill, onlyA(2)},
      {{0x08, 0x04}, Op::Throw, onlyA(4)},
      {{0x07, 0x00}, Op::Catch, onlyA(0)},
      {{0x19}, Op::CatchAll},
      {{0x18, 0x01}, Op::Delegate, onlyA(1)},
      {{0x09, 0x00}, Op::Rethrow, onlyA(0)},
      {{0x0a}, Op::ThrowRef},
      // Memory accesses: alignment, offset, explicit memory index (bit 6), 64-bit offsets.
      {{0x28, 0x02, 0x10},
       Op::I32Load,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.a, 0u);
         EXPECT_EQ(i.b, 2u);
         EXPECT_EQ(i.value, 16u);
       }},
      {{0x36, 0x42, 0x01, 0x08},
       Op::I32Store,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.a, 1u);
         EXPECT_EQ(i.b, 2u);
         EXPECT_EQ(i.value, 8u);
       }},
      {{0x29, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10},
       Op::I64Load,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.value, uint64_t{1} << 32); }},
      {{0xfe, 0x48, 0x42, 0x80, 0x01, 0x00},
       Op::I32AtomicRmwCmpxchg,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.a, 128u);
         EXPECT_EQ(i.b, 2u);
         EXPECT_EQ(i.value, 0u);
       }},
      {{0xfd, 0x54, 0x00, 0x00, 0x0f},
       Op::V128Load8Lane,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.lane, 15);
         EXPECT_EQ(i.b, 0u);
       }},
      {{0xfd, 0x5b, 0x43, 0x03, 0x04, 0x01},
       Op::V128Store64Lane,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.a, 3u);
         EXPECT_EQ(i.b, 3u);
         EXPECT_EQ(i.value, 4u);
         EXPECT_EQ(i.lane, 1);
       }},
      // Constants.
      {{0x41, 0x7f},
       Op::I32Const,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.value, ~uint64_t{0}); }},
      {{0x41, 0x80, 0x80, 0x80, 0x80, 0x78},
       Op::I32Const,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(static_cast<int64_t>(i.value), INT32_MIN);
       }},
      {{0x41, 0xff, 0xff, 0xff, 0xff, 0x07},
       Op::I32Const,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.value, uint64_t{INT32_MAX}); }},
      {{0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f},
       Op::I64Const,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(static_cast<int64_t>(i.value), INT64_MIN);
       }},
      {{0x43, 0x00, 0x00, 0xc0, 0x3f},
       Op::F32Const,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.value, 0x3fc00000u); }},
      {{0x44, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f},
       Op::F64Const,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.value, 0x7ff8000000000001u);
       }},  // a NaN payload kept
      {cat({0xfd, 0x0c}, v16(0xf0)), Op::V128Const,
       [](const Instr& i, const CodePools& p) {
         EXPECT_EQ(p.v128[i.value][0], 0xf0);
         EXPECT_EQ(p.v128[i.value][15], 0xff);
       }},
      {cat({0xfd, 0x0d}, v16(0)), Op::I8x16Shuffle,
       [](const Instr& i, const CodePools& p) { EXPECT_EQ(p.v128[i.value][15], 15); }},
      {{0xfd, 0x15, 0x0f},
       Op::I8x16ExtractLaneS,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.lane, 15); }},
      {{0xfd, 0x22, 0x01},
       Op::F64x2ReplaceLane,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.lane, 1); }},
      {{0xfd, 0x80, 0x02}, Op::I8x16RelaxedSwizzle},
      {{0xfd, 0x93, 0x02}, Op::I32x4RelaxedDotI8x16I7x16AddS},
      {{0xfd, 0xff, 0x01}, Op::F64x2ConvertLowI32x4U},
      {{0x1c, 0x01, 0x7f},
       Op::SelectT,
       [](const Instr& i, const CodePools& p) {
         EXPECT_EQ(i.b, 1u);
         EXPECT_EQ(p.types[i.value], ValType::i32());
       }},
      {{0x1c, 0x02, 0x70, 0x63, 0x03},
       Op::SelectT,
       [](const Instr& i, const CodePools& p) {
         EXPECT_EQ(i.b, 2u);
         EXPECT_EQ(p.types[i.value], ValType::funcref());
         EXPECT_EQ(p.types[i.value + 1], ValType::ref(HeapType::index(3), true));
       }},
      {{0xd0, 0x70},
       Op::RefNull,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.type.heap, HeapType{HeapType::Func}); }},
      {{0xd0, 0x05},
       Op::RefNull,
       [](const Instr& i, const CodePools&) { EXPECT_EQ(i.type.heap, HeapType::index(5)); }},
      {{0xd2, 0x09}, Op::RefFunc, onlyA(9)},
      {{0x14, 0x03}, Op::CallRef, onlyA(3)},
      {{0x15, 0x03}, Op::ReturnCallRef, onlyA(3)},
      {{0xfb, 0x00, 0x02}, Op::StructNew, onlyA(2)},
      {{0xfb, 0x02, 0x01, 0x03}, Op::StructGet, ab(1, 3)},
      {{0xfb, 0x11, 0x01, 0x02}, Op::ArrayCopy, ab(1, 2)},
      {{0xfb, 0x09, 0x01, 0x00}, Op::ArrayNewData, ab(1, 0)},
      {{0xfb, 0x0a, 0x01, 0x02}, Op::ArrayNewElem, ab(1, 2)},
      {{0xfb, 0x08, 0x01, 0x04}, Op::ArrayNewFixed, ab(1, 4)},
      {{0xfb, 0x13, 0x04, 0x05}, Op::ArrayInitElem, ab(4, 5)},
      {{0xfb, 0x14, 0x6e},
       Op::RefTest,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.type, ValType::ref(HeapType{HeapType::Any}, false));
       }},
      {{0xfb, 0x17, 0x03},
       Op::RefCastNull,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.type, ValType::ref(HeapType::index(3), true));
       }},
      {{0xfb, 0x18, 0x01, 0x00, 0x6e, 0x6b},
       Op::BrOnCast,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.lane, 1);
         EXPECT_EQ(i.a, 0u);
         EXPECT_EQ(i.type, ValType::ref(HeapType{HeapType::Any}, true));
         EXPECT_EQ(static_cast<int32_t>(i.b), HeapType::Struct);
       }},
      {{0xfb, 0x19, 0x02, 0x03, 0x6e, 0x07},
       Op::BrOnCastFail,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.lane, 2);
         EXPECT_EQ(i.a, 3u);
         EXPECT_FALSE(i.type.nullable);
         EXPECT_EQ(i.b, 7u);
       }},
      {{0xfb, 0x1c}, Op::RefI31},
      {{0xfb, 0x1b}, Op::ExternConvertAny},
      {{0xfc, 0x0e, 0x01, 0x00}, Op::TableCopy, ab(1, 0)},
      {{0xfc, 0x0c, 0x02, 0x01}, Op::TableInit, ab(2, 1)},
      {{0xfc, 0x0a, 0x00, 0x01}, Op::MemoryCopy, ab(0, 1)},
      {{0xfc, 0x08, 0x03, 0x00}, Op::MemoryInit, ab(3, 0)},
      {{0xfc, 0x09, 0x02}, Op::DataDrop, onlyA(2)},
      {{0xfc, 0x0d, 0x01}, Op::ElemDrop, onlyA(1)},
      {{0xfc, 0x07}, Op::I64TruncSatF64U},
      {{0x1f, 0x40, 0x04, 0x00, 0x01, 0x02, 0x01, 0x02, 0x03, 0x02, 0x04, 0x03, 0x05},
       Op::TryTable,
       [](const Instr& i, const CodePools& p) {
         EXPECT_EQ(i.block.kind, BlockType::Empty);
         ASSERT_EQ(i.b, 4u);
         const CatchClause* c = &p.catches[i.value];
         EXPECT_EQ(c[0].kind, CatchClause::Catch);
         EXPECT_EQ(c[0].tag, 1u);
         EXPECT_EQ(c[0].label, 2u);
         EXPECT_EQ(c[1].kind, CatchClause::CatchRef);
         EXPECT_EQ(c[1].tag, 2u);
         EXPECT_EQ(c[1].label, 3u);
         EXPECT_EQ(c[2].kind, CatchClause::CatchAll);
         EXPECT_EQ(c[2].label, 4u);
         EXPECT_EQ(c[3].kind, CatchClause::CatchAllRef);
         EXPECT_EQ(c[3].label, 5u);
       }},
      {{0x1f, 0x7f, 0x00},
       Op::TryTable,
       [](const Instr& i, const CodePools&) {
         EXPECT_EQ(i.block.kind, BlockType::Value);
         EXPECT_EQ(i.b, 0u);
       }},
      {{0xfe, 0x03, 0x00}, Op::AtomicFence},
  };
}

TEST(InstrCodec, HandWrittenBytesDecodeAndReencodeIdentically) {
  std::set<ImmKind> covered;
  for (const Case& k : handWrittenCases()) {
    SCOPED_TRACE(std::string(opInfo(k.op).text));
    CodePools pools;
    pools.labels.push_back(99);  // pool indices must be relative to what is already there
    InstrReader reader(k.bytes, kBase, pools);
    Instr instr;
    reader.next(instr);
    EXPECT_TRUE(reader.atEnd());
    EXPECT_EQ(instr.op, k.op);
    EXPECT_EQ(instr.offset, kBase);
    EXPECT_EQ(reader.offset(), kBase + k.bytes.size());
    k.check(instr, pools);
    Bytes out;
    encodeInstr(instr, pools, out);
    EXPECT_EQ(out, k.bytes);
    covered.insert(instr.info().imm);
  }
  // A new immediate kind needs a hand-written case here.
  EXPECT_EQ(covered.size(), static_cast<size_t>(ImmKind::Zero) + 1);
}

// Immediates chosen per kind to exercise multi-byte encodings.
Instr sampleInstr(Op op, CodePools& pools) {
  Instr in;
  in.op = op;
  switch (opInfo(op).imm) {
    case ImmKind::None:
      break;
    case ImmKind::Block:
      in.block.kind = BlockType::Index;
      in.block.index = 300;
      break;
    case ImmKind::BrTable:
      in.value = pools.labels.size();
      in.b = 2;
      pools.labels.insert(pools.labels.end(), {1, 200, 70000});
      break;
    case ImmKind::MemArg:
    case ImmKind::MemArgLane:
      in.a = 2;
      in.b = opInfo(op).naturalAlign;
      in.value = 0x123456789;
      in.lane = opInfo(op).imm == ImmKind::MemArgLane ? 1 : 0;
      break;
    case ImmKind::I32:
      in.value = static_cast<uint64_t>(int64_t{-1234567});
      break;
    case ImmKind::I64:
      in.value = 0x8000000000000001;
      break;
    case ImmKind::F32:
      in.value = 0x7fc00001;
      break;
    case ImmKind::F64:
      in.value = 0xfff0000000000001;
      break;
    case ImmKind::V128:
    case ImmKind::Shuffle:
      in.value = pools.v128.size();
      pools.v128.push_back({31, 30, 29, 28, 27, 26, 25, 24, 7, 6, 5, 4, 3, 2, 1, 0});
      break;
    case ImmKind::Lane:
      in.lane = 1;
      break;
    case ImmKind::SelectTyped:
      in.value = pools.types.size();
      in.b = 1;
      pools.types.push_back(ValType::ref(HeapType::index(129), false));
      break;
    case ImmKind::HeapType:
      in.type = ValType::ref(HeapType{HeapType::Extern}, true);
      break;
    case ImmKind::RefCast:
      in.type = ValType::ref(HeapType::index(77), op == Op::RefTestNull || op == Op::RefCastNull);
      break;
    case ImmKind::BrOnCast:
      in.lane = 2;
      in.a = 5;
      in.type = ValType::ref(HeapType{HeapType::Eq}, false);
      in.b = 150;
      break;
    case ImmKind::TryTable:
      in.block.kind = BlockType::Value;
      in.block.value = ValType::f64();
      in.value = pools.catches.size();
      in.b = 2;
      pools.catches.push_back({CatchClause::CatchRef, 3, 1});
      pools.catches.push_back({CatchClause::CatchAll, 0, 200});
      break;
    case ImmKind::Zero:
      break;
    default:  // one or two indices
      in.a = 100000;
      in.b = 129;
      break;
  }
  return in;
}

TEST(InstrCodec, EveryOperatorRoundTrips) {
  for (size_t i = 0; i < kOpCount; ++i) {
    Op op = static_cast<Op>(i);
    SCOPED_TRACE(std::string(opInfo(op).text));
    CodePools in;
    Instr instr = sampleInstr(op, in);
    Bytes bytes;
    encodeInstr(instr, in, bytes);
    CodePools out;
    InstrReader reader(bytes, 0, out);
    Instr back;
    reader.next(back);
    EXPECT_TRUE(reader.atEnd());
    EXPECT_EQ(back.op, op);
    // Kinds with one index leave b zero; compare only what the kind carries.
    Instr expected = instr;
    switch (opInfo(op).imm) {
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
        expected.b = 0;
        break;
      default:
        break;
    }
    EXPECT_EQ(back.a, expected.a);
    EXPECT_EQ(back.b, expected.b);
    EXPECT_EQ(back.lane, expected.lane);
    EXPECT_EQ(back.block, expected.block);
    EXPECT_EQ(back.type, expected.type);
    if (opInfo(op).imm == ImmKind::BrTable) {
      EXPECT_EQ(out.labels, in.labels);
    } else if (opInfo(op).imm == ImmKind::V128 || opInfo(op).imm == ImmKind::Shuffle) {
      EXPECT_EQ(out.v128, in.v128);
    } else if (opInfo(op).imm == ImmKind::SelectTyped) {
      EXPECT_EQ(out.types, in.types);
    } else if (opInfo(op).imm == ImmKind::TryTable) {
      ASSERT_EQ(out.catches.size(), in.catches.size());
      for (size_t c = 0; c < in.catches.size(); ++c) {
        EXPECT_EQ(out.catches[c].kind, in.catches[c].kind);
        EXPECT_EQ(out.catches[c].tag, in.catches[c].tag);
        EXPECT_EQ(out.catches[c].label, in.catches[c].label);
      }
    } else {
      EXPECT_EQ(back.value, expected.value);
    }
    Bytes again;
    encodeInstr(back, out, again);
    EXPECT_EQ(again, bytes);
  }
}

TEST(OpTable, LookupFindsEveryOperatorAndNothingElse) {
  size_t found = 0;
  for (unsigned prefix : {0u, 0xfbu, 0xfcu, 0xfdu, 0xfeu}) {
    for (uint32_t code = 0; code < 0x400; ++code) {
      auto op = lookupOp(static_cast<uint8_t>(prefix), code);
      if (!op) continue;
      ++found;
      EXPECT_EQ(opInfo(*op).prefix, prefix);
      EXPECT_EQ(opInfo(*op).code, code);
    }
  }
  EXPECT_EQ(found, kOpCount);
  EXPECT_FALSE(lookupOp(0, 0xfd).has_value());  // a prefix is not an operator
  EXPECT_FALSE(lookupOp(0x12, 0).has_value());
  EXPECT_FALSE(lookupOp(0xfd, 0xffffffff).has_value());
  EXPECT_EQ(opInfo(Op::Nop).code, 0x01u);
  EXPECT_EQ(opInfo(Op::I8x16Shuffle).code, 13u);
  EXPECT_EQ(opInfo(Op::I8x16RelaxedSwizzle).code, 0x100u);
  EXPECT_EQ(opInfo(Op::I32x4RelaxedDotI8x16I7x16AddS).code, 0x113u);
}

TEST(OpTable, SignaturesAreWellFormed) {
  for (size_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = opInfo(static_cast<Op>(i));
    SCOPED_TRACE(std::string(info.text));
    std::string_view sig = info.signature;
    if (sig == "*") continue;
    size_t colon = sig.find(':');
    ASSERT_NE(colon, std::string_view::npos);
    EXPECT_EQ(sig.find(':', colon + 1), std::string_view::npos);
    for (char c : sig) EXPECT_NE(std::string_view("iIfFva:").find(c), std::string_view::npos);
    bool access = info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane;
    bool memory = access || info.imm == ImmKind::Memory || info.imm == ImmKind::DataMem;
    // Only operators naming a memory have an address; accesses take it first.
    EXPECT_EQ(memory, sig.find('a') != std::string_view::npos) << sig;
    if (access) {
      EXPECT_TRUE(sig.starts_with("a")) << sig;
    }
    if (!access) {
      EXPECT_EQ(info.naturalAlign, 0);
    }
  }
}

TEST(OpTable, NaturalAlignment) {
  struct AlignCase {
    Op op;
    uint8_t log2;
  };
  for (AlignCase k : {AlignCase{Op::I32Load, 2},
                      AlignCase{Op::I64Load, 3},
                      AlignCase{Op::F32Store, 2},
                      AlignCase{Op::F64Load, 3},
                      AlignCase{Op::I32Load8U, 0},
                      AlignCase{Op::I64Load16S, 1},
                      AlignCase{Op::I64Load32U, 2},
                      AlignCase{Op::I64Store32, 2},
                      AlignCase{Op::I32Store8, 0},
                      AlignCase{Op::V128Load, 4},
                      AlignCase{Op::V128Store, 4},
                      AlignCase{Op::V128Load8x8S, 3},
                      AlignCase{Op::V128Load32x2U, 3},
                      AlignCase{Op::V128Load8Splat, 0},
                      AlignCase{Op::V128Load64Splat, 3},
                      AlignCase{Op::V128Load32Zero, 2},
                      AlignCase{Op::V128Load64Zero, 3},
                      AlignCase{Op::V128Load16Lane, 1},
                      AlignCase{Op::V128Store64Lane, 3},
                      AlignCase{Op::MemoryAtomicNotify, 2},
                      AlignCase{Op::MemoryAtomicWait32, 2},
                      AlignCase{Op::MemoryAtomicWait64, 3},
                      AlignCase{Op::I32AtomicLoad, 2},
                      AlignCase{Op::I64AtomicLoad, 3},
                      AlignCase{Op::I64AtomicLoad8U, 0},
                      AlignCase{Op::I32AtomicStore16, 1},
                      AlignCase{Op::I64AtomicRmwAdd, 3},
                      AlignCase{Op::I32AtomicRmw8AddU, 0},
                      AlignCase{Op::I64AtomicRmw32XchgU, 2},
                      AlignCase{Op::I64AtomicRmw16CmpxchgU, 1},
                      AlignCase{Op::I32AtomicRmwCmpxchg, 2},
                      AlignCase{Op::I32Add, 0},
                      AlignCase{Op::MemoryFill, 0}})
    EXPECT_EQ(opInfo(k.op).naturalAlign, k.log2) << opInfo(k.op).text;
}

// Decodes `bytes` (placed at kBase) to the end and expects an error at kBase + `at`.
void expectDecodeError(const Bytes& bytes, const std::string& fragment, uint64_t at,
                       const std::string& feature = {}) {
  CodePools pools;
  try {
    decodeAll(bytes, kBase, pools);
    FAIL() << "expected \"" << fragment << "\"";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find(fragment), std::string::npos) << e.describe();
    EXPECT_EQ(e.offset(), kBase + at) << e.describe();
    EXPECT_EQ(e.feature(), feature) << e.describe();
  }
}

TEST(InstrErrors, UnknownOpcodes) {
  expectDecodeError({0x01, 0x27}, "unknown opcode 0x27", 1);
  expectDecodeError({0xff}, "unknown opcode 0xff", 0);
  expectDecodeError({0x01, 0x01, 0xfa, 0x00}, "unknown opcode 0xfa", 2);
  expectDecodeError({0x01, 0xfd, 0xa3, 0x02}, "unknown opcode 0xfd 0x123", 1, "simd");
  expectDecodeError({0xfd, 0x9a, 0x01}, "unknown opcode 0xfd 0x9a", 0, "simd");  // a gap
  expectDecodeError({0xfe, 0x4f, 0x00, 0x00}, "unknown opcode 0xfe 0x4f", 0, "threads");
  expectDecodeError({0xfe, 0x04}, "unknown opcode 0xfe 0x4", 0, "threads");
  expectDecodeError({0xfb, 0x7f}, "unknown opcode 0xfb 0x7f", 0, "gc");
  expectDecodeError({0xfc, 0x20}, "unknown opcode 0xfc 0x20", 0, "bulk-memory");
  expectDecodeError({0xfc, 0xff, 0xff, 0xff, 0xff, 0x0f}, "unknown opcode 0xfc 0xffffffff", 0,
                    "bulk-memory");
}

TEST(InstrErrors, MalformedImmediates) {
  expectDecodeError({0x41}, "unexpected end", 1);
  expectDecodeError({0x20, 0x80}, "unexpected end", 1);
  expectDecodeError({0x20, 0xff, 0xff, 0xff, 0xff, 0x1f}, "too large", 1);
  expectDecodeError({0x41, 0xff, 0xff, 0xff, 0xff, 0x0f}, "too large", 1);
  expectDecodeError({0x43, 0x00, 0x00}, "unexpected end", 1);
  expectDecodeError({0x44, 0, 0, 0, 0, 0, 0, 0}, "unexpected end", 1);
  expectDecodeError({0xfd, 0x0c, 1, 2, 3}, "unexpected end", 2);
  expectDecodeError({0xfd}, "unexpected end", 1);
  expectDecodeError({0xfd, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, "too long", 1);
  // br_table: a count larger than the bytes left fails before anything is allocated.
  expectDecodeError({0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00}, "exceeds", 1);
  expectDecodeError({0x0e, 0x02, 0x00, 0x00}, "unexpected end", 4);
  // Memory access flags: bit 6 flags a memory index; anything above is malformed.
  expectDecodeError({0x28, 0x80, 0x01, 0x00}, "alignment", 1);
  expectDecodeError({0x28, 0x42}, "unexpected end", 2);
  expectDecodeError({0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02},
                    "too large", 2);
  // Block types: unknown value type, negative multi-byte s33, truncated.
  expectDecodeError({0x02, 0x7a}, "unknown value type 0x7a", 1);
  expectDecodeError({0x02, 0x80, 0x7f}, "invalid block type -128", 1);
  expectDecodeError({0x02}, "unexpected end", 1);
  expectDecodeError({0x1c, 0x01, 0x40}, "unknown value type", 2);
  expectDecodeError({0xd0, 0x7f}, "unknown heap type", 1);
  expectDecodeError({0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6e}, "br_on_cast flags", 2, "gc");
  expectDecodeError({0x1f, 0x40, 0x01, 0x04, 0x00}, "catch clause kind 4", 3, "exception-handling");
  expectDecodeError({0x1f, 0x40, 0x05, 0x02, 0x00}, "exceeds", 2);
  expectDecodeError({0xfe, 0x03, 0x01}, "zero byte", 2, "threads");
  expectDecodeError({0xfd, 0x15}, "unexpected end", 2);
}

TEST(InstrReader, StreamsOffsetsAndSharesPools) {
  // block; i32.const 1; br_table 0 0; i32.const 2; br_table 1 0; end
  Bytes code{0x02, 0x40, 0x41, 0x01, 0x0e, 0x01, 0x00, 0x00,
             0x41, 0x02, 0x0e, 0x01, 0x01, 0x00, 0x0b};
  CodePools pools;
  std::vector<Instr> instrs = decodeAll(code, 500, pools);
  ASSERT_EQ(instrs.size(), 6u);
  std::vector<uint64_t> offsets;
  for (const Instr& i : instrs) offsets.push_back(i.offset);
  EXPECT_EQ(offsets, (std::vector<uint64_t>{500, 502, 504, 508, 510, 514}));
  EXPECT_EQ(instrs[2].value, 0u);
  EXPECT_EQ(instrs[4].value, 2u);
  EXPECT_EQ(pools.labels, (std::vector<uint32_t>{0, 0, 1, 0}));
  Bytes out;
  for (const Instr& i : instrs) encodeInstr(i, pools, out);
  EXPECT_EQ(out, code);
  pools.clear();
  EXPECT_TRUE(pools.labels.empty());
}

TEST(InstrCodec, EncodingIsCanonical) {
  // Overlong but valid input re-encodes to the shortest form.
  Bytes code{0x20, 0x80, 0x00, 0xfc, 0x80, 0x00, 0x28, 0x42, 0x00, 0x82, 0x00};
  CodePools pools;
  auto instrs = decodeAll(code, 0, pools);
  ASSERT_EQ(instrs.size(), 3u);
  EXPECT_EQ(instrs[1].op, Op::I32TruncSatF32S);
  EXPECT_EQ(instrs[2].a, 0u);  // memory 0 named explicitly
  EXPECT_EQ(instrs[2].value, 2u);
  Bytes out;
  for (const Instr& i : instrs) encodeInstr(i, pools, out);
  EXPECT_EQ(out, (Bytes{0x20, 0x00, 0xfc, 0x00, 0x28, 0x02, 0x02}));
}

TEST(InstrCodec, PoolIndicesAreChecked) {
  Instr bad;
  bad.op = Op::V128Const;
  bad.value = 3;
  CodePools pools;
  Bytes out;
  EXPECT_THROW(encodeInstr(bad, pools, out), Error);
}

TEST(FunctionBody, LocalsAndCode) {
  // 2 groups: 3 x i32, 1 x (ref null 2); then nop, end.
  Bytes body{0x02, 0x03, 0x7f, 0x01, 0x63, 0x02, 0x01, 0x0b};
  FunctionCode fc = readFunctionCode(body, 40);
  ASSERT_EQ(fc.locals.size(), 4u);
  EXPECT_EQ(fc.locals[0], ValType::i32());
  EXPECT_EQ(fc.locals[2], ValType::i32());
  EXPECT_EQ(fc.locals[3], ValType::ref(HeapType::index(2), true));
  EXPECT_EQ(fc.codeOffset, 46u);
  EXPECT_EQ(fc.code.size(), 2u);
  CodePools pools;
  auto instrs = decodeAll(fc.code, fc.codeOffset, pools);
  EXPECT_EQ(encodeFunctionBody(fc.locals, instrs, pools), body);
}

TEST(FunctionBody, LocalsAreCompressedIntoRuns) {
  std::vector<ValType> locals{ValType::i32(), ValType::i32(),  ValType::f64(),
                              ValType::i32(), ValType::v128(), ValType::v128()};
  Instr end;
  end.op = Op::End;
  CodePools pools;
  Bytes body = encodeFunctionBody(locals, std::span<const Instr>(&end, 1), pools);
  EXPECT_EQ(body, (Bytes{0x04, 0x02, 0x7f, 0x01, 0x7c, 0x01, 0x7f, 0x02, 0x7b, 0x0b}));
  // Splitting runs differently in the input does not matter: the output is canonical.
  Bytes split{0x03, 0x01, 0x7f, 0x01, 0x7f, 0x00, 0x7e, 0x0b};
  FunctionCode fc = readFunctionCode(split, 0);
  EXPECT_EQ(fc.locals.size(), 2u);
  auto instrs = decodeAll(fc.code, fc.codeOffset, pools);
  EXPECT_EQ(encodeFunctionBody(fc.locals, instrs, pools), (Bytes{0x01, 0x02, 0x7f, 0x0b}));
  Bytes none = encodeFunctionBody({}, instrs, pools);
  EXPECT_EQ(none, (Bytes{0x00, 0x0b}));
}

TEST(FunctionBody, Errors) {
  auto expectFail = [](const Bytes& body, const std::string& fragment, uint64_t at,
                       uint64_t maxLocals = 50'000) {
    try {
      readFunctionCode(body, 10, maxLocals);
      FAIL() << fragment;
    } catch (const Error& e) {
      EXPECT_NE(e.message().find(fragment), std::string::npos) << e.describe();
      EXPECT_EQ(e.offset(), 10 + at) << e.describe();
    }
  };
  // Too many locals in total: caught before allocating 2^32 entries.
  expectFail({0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b},
             "too many locals", 1);
  expectFail({0x02, 0x03, 0x7f, 0x02, 0x7e, 0x0b}, "too many locals", 3, 4);
  EXPECT_EQ(readFunctionCode(Bytes{0x01, 0x04, 0x7f, 0x0b}, 0, 4).locals.size(), 4u);
  expectFail({0x01, 0x01, 0x7a, 0x0b}, "unknown value type", 2);
  expectFail({0x05, 0x01, 0x7f, 0x0b}, "exceeds", 0);
  expectFail({0x00}, "does not end", 1);
  expectFail({0x00, 0x01}, "does not end", 2);
  expectFail({}, "unexpected end", 0);
}

TEST(InstrErrors, EveryTruncationFailsWithinTheInput) {
  for (const Case& k : handWrittenCases()) {
    for (size_t len = 1; len < k.bytes.size(); ++len) {
      SCOPED_TRACE(std::string(opInfo(k.op).text) + " cut to " + std::to_string(len));
      Bytes cut(k.bytes.begin(), k.bytes.begin() + len);
      CodePools pools;
      try {
        decodeAll(cut, kBase, pools);
        ADD_FAILURE() << "decoded a truncated instruction";
      } catch (const Error& e) {
        ASSERT_TRUE(e.offset().has_value());
        EXPECT_GE(*e.offset(), kBase);
        EXPECT_LE(*e.offset(), kBase + len);
      }
    }
  }
}

// Random byte strings drawn mostly from opcode-like values: decoding either succeeds or throws
// asyncify::Error with an offset inside the input (run under the sanitizers for memory safety).
TEST(InstrErrors, RandomBytesNeverEscapeAsAnythingElse) {
  const uint8_t interesting[] = {0x00, 0x01, 0x02, 0x0b, 0x0e, 0x1c, 0x1f, 0x28, 0x40,
                                 0x41, 0x42, 0x63, 0x64, 0x6e, 0x70, 0x7f, 0x80, 0xd0,
                                 0xfb, 0xfc, 0xfd, 0xfe, 0xff, 0x18, 0x0c, 0x03, 0x04};
  uint64_t state = 0x9e3779b97f4a7c15;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  size_t decoded = 0, failed = 0;
  CodePools pools;
  for (int round = 0; round < 20000; ++round) {
    Bytes bytes(1 + next() % 12);
    for (uint8_t& b : bytes)
      b = next() % 3 ? interesting[next() % std::size(interesting)] : static_cast<uint8_t>(next());
    pools.clear();
    try {
      auto instrs = decodeAll(bytes, kBase, pools);
      ++decoded;
      // Whatever decoded re-encodes and decodes to the same operators.
      Bytes again;
      for (const Instr& i : instrs) encodeInstr(i, pools, again);
      CodePools pools2;
      auto back = decodeAll(again, 0, pools2);
      ASSERT_EQ(back.size(), instrs.size());
      for (size_t i = 0; i < back.size(); ++i) EXPECT_EQ(back[i].op, instrs[i].op);
    } catch (const Error& e) {
      ++failed;
      ASSERT_TRUE(e.offset().has_value()) << e.describe();
      EXPECT_LE(*e.offset(), kBase + bytes.size()) << e.describe();
    }
  }
  EXPECT_GT(decoded, 1000u);
  EXPECT_GT(failed, 1000u);
}

}  // namespace
}  // namespace asyncify
