// Primitive encoders against the Cursor's decoders, and the value/heap type codecs.
#include "asyncify/binary/encoding.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace asyncify {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes u32(uint32_t v) {
  Bytes b;
  writeVarU32(b, v);
  return b;
}
Bytes u64(uint64_t v) {
  Bytes b;
  writeVarU64(b, v);
  return b;
}
Bytes s32(int32_t v) {
  Bytes b;
  writeVarS32(b, v);
  return b;
}
Bytes s64(int64_t v) {
  Bytes b;
  writeVarS64(b, v);
  return b;
}

TEST(EncodeLeb, KnownEncodings) {
  EXPECT_EQ(u32(0), (Bytes{0x00}));
  EXPECT_EQ(u32(127), (Bytes{0x7f}));
  EXPECT_EQ(u32(128), (Bytes{0x80, 0x01}));
  EXPECT_EQ(u32(624485), (Bytes{0xe5, 0x8e, 0x26}));
  EXPECT_EQ(u32(0xffffffff), (Bytes{0xff, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(u64(~uint64_t{0}), (Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  EXPECT_EQ(s32(0), (Bytes{0x00}));
  EXPECT_EQ(s32(-1), (Bytes{0x7f}));
  EXPECT_EQ(s32(63), (Bytes{0x3f}));
  EXPECT_EQ(s32(64), (Bytes{0xc0, 0x00}));
  EXPECT_EQ(s32(-64), (Bytes{0x40}));
  EXPECT_EQ(s32(-65), (Bytes{0xbf, 0x7f}));
  EXPECT_EQ(s32(-123456), (Bytes{0xc0, 0xbb, 0x78}));
  EXPECT_EQ(s32(INT32_MIN), (Bytes{0x80, 0x80, 0x80, 0x80, 0x78}));
  EXPECT_EQ(s32(INT32_MAX), (Bytes{0xff, 0xff, 0xff, 0xff, 0x07}));
  EXPECT_EQ(s64(INT64_MIN), (Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}));
  EXPECT_EQ(s64(INT64_MAX), (Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}));
}

// Every power of two and its neighbours, both signs: decode(encode(v)) == v, minimal length.
TEST(EncodeLeb, RoundTripBoundaries) {
  std::vector<uint64_t> values = {0, 1};
  for (int bit = 1; bit < 64; ++bit) {
    uint64_t p = uint64_t{1} << bit;
    values.insert(values.end(), {p - 1, p, p + 1});
  }
  values.push_back(~uint64_t{0});
  for (uint64_t v : values) {
    Bytes b = u64(v);
    Cursor c(b);
    EXPECT_EQ(c.readVarU64(), v);
    EXPECT_TRUE(c.atEnd());
    unsigned bits = 64 - (v ? __builtin_clzll(v) : 63);
    EXPECT_EQ(b.size(), (bits + 6) / 7) << v;  // shortest form
    if (v <= UINT32_MAX) {
      Bytes b32 = u32(static_cast<uint32_t>(v));
      EXPECT_EQ(b32, b);
      Cursor c32(b32);
      EXPECT_EQ(c32.readVarU32(), v);
    }
    for (int64_t sv : {static_cast<int64_t>(v), static_cast<int64_t>(0 - v)}) {
      Bytes sb = s64(sv);
      Cursor cs(sb);
      EXPECT_EQ(cs.readVarS64(), sv);
      EXPECT_TRUE(cs.atEnd());
      if (sv >= INT32_MIN && sv <= INT32_MAX) {
        Bytes sb32 = s32(static_cast<int32_t>(sv));
        EXPECT_EQ(sb32, sb);
        Cursor c32(sb32);
        EXPECT_EQ(c32.readVarS32(), sv);
      }
    }
  }
}

TEST(EncodeFixed, LittleEndian) {
  Bytes b;
  writeFixedU32(b, 0x11223344);
  writeFixedU64(b, 0x0102030405060708);
  EXPECT_EQ(b, (Bytes{0x44, 0x33, 0x22, 0x11, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(EncodeName, LengthPrefixed) {
  Bytes b;
  writeName(b, "h\xc3\xa9");
  writeName(b, "");
  EXPECT_EQ(b, (Bytes{3, 'h', 0xc3, 0xa9, 0}));
  Cursor c(b);
  EXPECT_EQ(c.readName(), "h\xc3\xa9");
  EXPECT_EQ(c.readName(), "");
}

struct TypeCase {
  Bytes bytes;
  ValType type;
  Feature feature;
};

std::vector<TypeCase> typeCases() {
  auto ref = [](int32_t code, bool nullable) { return ValType::ref(HeapType{code}, nullable); };
  return {
      {{0x7f}, ValType::i32(), Feature::Mvp},
      {{0x7e}, ValType::i64(), Feature::Mvp},
      {{0x7d}, ValType::f32(), Feature::Mvp},
      {{0x7c}, ValType::f64(), Feature::Mvp},
      {{0x7b}, ValType::v128(), Feature::Simd},
      {{0x70}, ValType::funcref(), Feature::ReferenceTypes},
      {{0x6f}, ValType::externref(), Feature::ReferenceTypes},
      {{0x6e}, ref(HeapType::Any, true), Feature::Gc},
      {{0x6d}, ref(HeapType::Eq, true), Feature::Gc},
      {{0x6c}, ref(HeapType::I31, true), Feature::Gc},
      {{0x6b}, ref(HeapType::Struct, true), Feature::Gc},
      {{0x6a}, ref(HeapType::Array, true), Feature::Gc},
      {{0x69}, ref(HeapType::Exn, true), Feature::Exceptions},
      {{0x71}, ref(HeapType::None, true), Feature::Gc},
      {{0x72}, ref(HeapType::NoExtern, true), Feature::Gc},
      {{0x73}, ref(HeapType::NoFunc, true), Feature::Gc},
      {{0x74}, ref(HeapType::NoExn, true), Feature::Exceptions},
      {{0x64, 0x70}, ref(HeapType::Func, false), Feature::FunctionReferences},
      {{0x64, 0x6f}, ref(HeapType::Extern, false), Feature::FunctionReferences},
      {{0x64, 0x6e}, ref(HeapType::Any, false), Feature::Gc},
      {{0x64, 0x69}, ref(HeapType::Exn, false), Feature::Exceptions},
      {{0x64, 0x00}, ValType::ref(HeapType::index(0), false), Feature::FunctionReferences},
      {{0x63, 0x05}, ValType::ref(HeapType::index(5), true), Feature::FunctionReferences},
      {{0x63, 0xc0, 0x00}, ValType::ref(HeapType::index(64), true), Feature::FunctionReferences},
      {{0x64, 0xff, 0xff, 0xff, 0xff, 0x07},
       ValType::ref(HeapType::index(INT32_MAX), false),
       Feature::FunctionReferences},
  };
}

TEST(ValTypeCodec, EveryTypeDecodesAndEncodesIdentically) {
  for (const TypeCase& k : typeCases()) {
    Cursor c(k.bytes);
    ValType t = readValType(c);
    EXPECT_EQ(t, k.type) << toString(k.type);
    EXPECT_TRUE(c.atEnd());
    Bytes out;
    writeValType(out, t);
    EXPECT_EQ(out, k.bytes) << toString(k.type);
    EXPECT_EQ(featureOf(t), k.feature) << toString(k.type);
  }
}

TEST(ValTypeCodec, NullableAbstractUsesTheShorthand) {
  Bytes out;
  writeValType(out, ValType::ref(HeapType{HeapType::Eq}, true));
  EXPECT_EQ(out, (Bytes{0x6d}));
  // The long form decodes to the same type.
  Bytes longForm{0x63, 0x6d};
  Cursor c(longForm);
  EXPECT_EQ(readValType(c), ValType::ref(HeapType{HeapType::Eq}, true));
}

TEST(ValTypeCodec, Errors) {
  auto expectFail = [](Bytes b, const std::string& fragment, uint64_t offset) {
    Cursor c(b, 100);
    try {
      readValType(c);
      FAIL() << fragment;
    } catch (const Error& e) {
      EXPECT_NE(e.message().find(fragment), std::string::npos) << e.message();
      EXPECT_EQ(e.offset(), 100 + offset);
    }
  };
  expectFail({0x40}, "unknown value type 0x40", 0);
  expectFail({0x7a}, "unknown value type 0x7a", 0);
  expectFail({0x68}, "unknown value type 0x68", 0);
  expectFail({0x00}, "unknown value type 0x00", 0);
  expectFail({0x64, 0x7f}, "unknown heap type", 1);  // i32 is not a heap type
  expectFail({0x63, 0x75}, "unknown heap type", 1);
  expectFail({0x63, 0xff, 0xff, 0xff, 0xff, 0x0f}, "out of range", 1);
  expectFail({0x64}, "unexpected end", 1);
  expectFail({}, "unexpected end", 0);
}

TEST(HeapTypeCodec, AbstractAndIndexed) {
  for (int32_t code = HeapType::Exn; code <= HeapType::NoExn; ++code) {
    Bytes out;
    writeHeapType(out, HeapType{code});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], static_cast<uint8_t>(code + 0x80));
    Cursor c(out);
    EXPECT_EQ(readHeapType(c), HeapType{code});
  }
  Bytes out;
  writeHeapType(out, HeapType::index(100));
  EXPECT_EQ(out, (Bytes{0xe4, 0x00}));  // s33: 100 needs a second byte to stay positive
  Cursor c(out);
  EXPECT_EQ(readHeapType(c), HeapType::index(100));
}

TEST(ValTypeCodec, BottomCannotBeEncoded) {
  Bytes out;
  EXPECT_THROW(writeValType(out, ValType::bottom()), Error);
}

}  // namespace
}  // namespace asyncify
