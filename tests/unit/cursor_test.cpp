// Cursor: LEB128 limits (longest, overlong, too large, sign bits, truncated), fixed-width
// reads, counts, names and UTF-8; and the error text every failure carries.
#include "asyncify/binary/cursor.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "asyncify/binary/features.h"

namespace asyncify {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes B(std::initializer_list<int> bytes) {
  std::vector<uint8_t> v;
  for (int b : bytes) v.push_back(static_cast<uint8_t>(b));
  return v;
}

// Runs `read` on `bytes` and expects it to throw with `fragment` in the message at `offset`.
template <typename F>
void expectError(const std::vector<uint8_t>& bytes, F read, const std::string& fragment,
                 uint64_t offset, uint64_t base = 0) {
  Cursor c(bytes, base);
  try {
    read(c);
    FAIL() << "expected an error containing \"" << fragment << "\"";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find(fragment), std::string::npos) << e.message();
    ASSERT_TRUE(e.offset().has_value());
    EXPECT_EQ(*e.offset(), offset) << e.describe();
  }
}

TEST(CursorLeb, U32Values) {
  struct Case {
    std::vector<uint8_t> bytes;
    uint32_t value;
  };
  for (const Case& k :
       {Case{B({0x00}), 0}, Case{B({0x7f}), 127}, Case{B({0x80, 0x01}), 128},
        Case{B({0xe5, 0x8e, 0x26}), 624485}, Case{B({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffu},
        // Overlong but within five bytes: allowed by the format.
        Case{B({0x80, 0x00}), 0}, Case{B({0x80, 0x80, 0x80, 0x80, 0x00}), 0},
        Case{B({0x81, 0x80, 0x80, 0x00}), 1}}) {
    Cursor c(k.bytes);
    EXPECT_EQ(c.readVarU32(), k.value);
    EXPECT_TRUE(c.atEnd());
  }
}

TEST(CursorLeb, U32Errors) {
  auto read = [](Cursor& c) { c.readVarU32(); };
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), read, "too long", 0);
  expectError(B({0xff, 0xff, 0xff, 0xff, 0x1f}), read, "too large", 0);
  expectError(B({0xff, 0xff, 0xff, 0xff, 0x10}), read, "too large", 0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x70}), read, "too large", 0);
  expectError(B({0x80}), read, "unexpected end", 0);
  expectError(B({}), read, "unexpected end", 0);
  // The offset names where the integer starts, in absolute terms.
  expectError(B({0xff, 0xff}), read, "unexpected end", 1000, 1000);
}

TEST(CursorLeb, U64Values) {
  const Bytes cBytes = B({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                          0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  Cursor c(cBytes);
  EXPECT_EQ(c.readVarU64(), ~uint64_t{0});
  EXPECT_EQ(c.readVarU64(), 0u);
  EXPECT_TRUE(c.atEnd());
}

TEST(CursorLeb, U64Errors) {
  auto read = [](Cursor& c) { c.readVarU64(); };
  expectError(B({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}), read, "too large",
              0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), read,
              "too long", 0);
  expectError(B({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), read, "unexpected end", 0);
}

TEST(CursorLeb, S32Values) {
  struct Case {
    std::vector<uint8_t> bytes;
    int32_t value;
  };
  for (const Case& k : {Case{B({0x00}), 0}, Case{B({0x7f}), -1}, Case{B({0x3f}), 63},
                        Case{B({0x40}), -64}, Case{B({0xc0, 0x00}), 64}, Case{B({0xbf, 0x7f}), -65},
                        Case{B({0xff, 0xff, 0xff, 0xff, 0x07}), INT32_MAX},
                        Case{B({0x80, 0x80, 0x80, 0x80, 0x78}), INT32_MIN},
                        // Overlong encodings whose unused bits repeat the sign.
                        Case{B({0xff, 0xff, 0xff, 0xff, 0x7f}), -1},
                        Case{B({0x80, 0x80, 0x80, 0x80, 0x00}), 0}, Case{B({0xff, 0x7f}), -1}}) {
    Cursor c(k.bytes);
    EXPECT_EQ(c.readVarS32(), k.value);
    EXPECT_TRUE(c.atEnd());
  }
}

TEST(CursorLeb, S32Errors) {
  auto read = [](Cursor& c) { c.readVarS32(); };
  // Bit 31 set but the unused bits clear (or the reverse): a value outside s32.
  expectError(B({0xff, 0xff, 0xff, 0xff, 0x0f}), read, "too large", 0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x70}), read, "too large", 0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x08}), read, "too large", 0);
  expectError(B({0xff, 0xff, 0xff, 0xff, 0x77}), read, "too large", 0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), read, "too long", 0);
  expectError(B({0xc0}), read, "unexpected end", 0);
}

TEST(CursorLeb, S64Values) {
  const Bytes cBytes = B({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,  // INT64_MIN
                          0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,  // INT64_MAX
                          0x80, 0x80, 0x80, 0x80, 0x10});                              // 2^32
  Cursor c(cBytes);
  EXPECT_EQ(c.readVarS64(), INT64_MIN);
  EXPECT_EQ(c.readVarS64(), INT64_MAX);
  EXPECT_EQ(c.readVarS64(), int64_t{1} << 32);
  EXPECT_TRUE(c.atEnd());
}

TEST(CursorLeb, S64Errors) {
  auto read = [](Cursor& c) { c.readVarS64(); };
  expectError(B({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}), read, "too large",
              0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40}), read, "too large",
              0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), read,
              "too long", 0);
}

TEST(CursorLeb, S33BlockTypeRange) {
  const Bytes cBytes = B({0xff, 0xff, 0xff, 0xff, 0x0f, 0x80, 0x80, 0x80, 0x80, 0x70, 0x40});
  Cursor c(cBytes);
  EXPECT_EQ(c.readVarS33(), int64_t{0xffffffff});
  EXPECT_EQ(c.readVarS33(), -(int64_t{1} << 32));
  EXPECT_EQ(c.readVarS33(), -64);
  auto read = [](Cursor& k) { k.readVarS33(); };
  expectError(B({0xff, 0xff, 0xff, 0xff, 0x1f}), read, "too large", 0);
  expectError(B({0x80, 0x80, 0x80, 0x80, 0x60}), read, "too large", 0);
}

TEST(Cursor, FixedWidthAndBytes) {
  const Bytes cBytes = B({0x78, 0x56, 0x34, 0x12, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  Cursor c(cBytes, 16);
  EXPECT_EQ(c.readFixedU32(), 0x12345678u);
  EXPECT_EQ(c.readFixedU64(), 0x0807060504030201u);
  EXPECT_EQ(c.offset(), 28u);
  EXPECT_EQ(c.position(), 12u);
  EXPECT_EQ(c.remaining(), 1u);
  EXPECT_EQ(c.peekByte(), 9);
  expectError(
      B({1, 2, 3}), [](Cursor& k) { k.readFixedU32(); }, "unexpected end", 0);
  expectError(
      B({1, 2, 3}),
      [](Cursor& k) {
        k.readBytes(2);
        k.readByte();
        k.readByte();
      },
      "unexpected end", 3);
}

TEST(Cursor, CountCheckedAgainstBytesLeft) {
  const Bytes okBytes = B({0x02, 0xaa, 0xbb});
  Cursor ok(okBytes);
  EXPECT_EQ(ok.readCount("thing"), 2u);
  expectError(
      B({0x03, 0xaa, 0xbb}), [](Cursor& c) { c.readCount("thing"); }, "thing count 3 exceeds", 0);
  expectError(
      B({0x02, 0xaa, 0xbb}), [](Cursor& c) { c.readCount("pair", 2); }, "exceeds", 0);
  // A huge count must fail before anyone allocates for it.
  expectError(
      B({0xff, 0xff, 0xff, 0xff, 0x0f}), [](Cursor& c) { c.readCount("entry"); }, "exceeds", 0);
}

TEST(Cursor, Names) {
  const Bytes cBytes = B({0x03, 'a', 'b', 'c', 0x02, 0xc3, 0xa9, 0x00});
  Cursor c(cBytes);
  EXPECT_EQ(c.readName(), "abc");
  EXPECT_EQ(c.readName(), "\xc3\xa9");
  EXPECT_EQ(c.readName(), "");
  expectError(
      B({0x02, 0xc3, 0x28}), [](Cursor& k) { k.readName(); }, "UTF-8", 1);
  expectError(
      B({0x05, 'a'}), [](Cursor& k) { k.readName(); }, "unexpected end", 1);
}

TEST(Utf8, AcceptsValid) {
  for (std::string_view s : {std::string_view(""), std::string_view("plain ascii"),
                             std::string_view("\x00", 1), std::string_view("\xc2\x80"),
                             std::string_view("\xdf\xbf"), std::string_view("\xe0\xa0\x80"),
                             std::string_view("\xed\x9f\xbf"),      // U+D7FF
                             std::string_view("\xee\x80\x80"),      // U+E000
                             std::string_view("\xef\xbf\xbf"),      // U+FFFF
                             std::string_view("\xf0\x90\x80\x80"),  // U+10000
                             std::string_view("\xf4\x8f\xbf\xbf"),  // U+10FFFF
                             std::string_view("a\xe2\x82\xac"
                                              "b\xf0\x9f\x98\x80")})
    EXPECT_TRUE(Cursor::isValidUtf8(s)) << s;
}

TEST(Utf8, RejectsInvalid) {
  for (std::string_view s : {std::string_view("\x80"),              // lone continuation
                             std::string_view("\xc0\x80"),          // overlong NUL
                             std::string_view("\xc1\xbf"),          // overlong
                             std::string_view("\xe0\x9f\xbf"),      // overlong 3-byte
                             std::string_view("\xf0\x8f\xbf\xbf"),  // overlong 4-byte
                             std::string_view("\xed\xa0\x80"),      // surrogate U+D800
                             std::string_view("\xed\xbf\xbf"),      // surrogate U+DFFF
                             std::string_view("\xf4\x90\x80\x80"),  // above U+10FFFF
                             std::string_view("\xf5\x80\x80\x80"), std::string_view("\xff"),
                             std::string_view("\xc3"),  // truncated
                             std::string_view("\xe2\x82"), std::string_view("\xf0\x9f\x98"),
                             std::string_view("\xe2\x28\xa1"),  // bad continuation
                             std::string_view("ok\xf0\x9f\x98\x28")})
    EXPECT_FALSE(Cursor::isValidUtf8(s)) << s;
}

TEST(ErrorText, Describe) {
  EXPECT_EQ(Error("bad thing").describe(), "bad thing");
  EXPECT_EQ(Error("bad thing", 0x1a2b).describe(), "bad thing (at offset 0x1a2b)");
  EXPECT_EQ(Error("bad thing", 0).describe(), "bad thing (at offset 0x0)");
  EXPECT_EQ(Error("no simd", 0x10, "simd").describe(), "no simd (at offset 0x10) [feature: simd]");
  EXPECT_EQ(Error("no gc", std::nullopt, "gc").describe(), "no gc [feature: gc]");
  Error e("m", 5, "threads");
  EXPECT_STREQ(e.what(), "m");
  EXPECT_EQ(e.feature(), "threads");
}

TEST(FeatureNames, MatchTheTable) {
  EXPECT_EQ(featureName(Feature::Mvp), "mvp");
  EXPECT_EQ(featureName(Feature::Simd), "simd");
  EXPECT_EQ(featureName(Feature::ExceptionsLegacy), "legacy-exceptions");
  EXPECT_EQ(featureName(Feature::Gc), "gc");
  FeatureSet set;
  EXPECT_FALSE(set.has(Feature::Threads));
  set.add(Feature::Threads);
  set.add(Feature::Gc);
  EXPECT_TRUE(set.has(Feature::Threads));
  EXPECT_TRUE(set.has(Feature::Gc));
  EXPECT_FALSE(set.has(Feature::Simd));
}

}  // namespace
}  // namespace asyncify
