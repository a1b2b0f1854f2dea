// A bounds-checked cursor over the input bytes that knows its absolute offset.
// Every read checks what is left and throws asyncify::Error naming the offset.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "asyncify/binary/error.h"

namespace asyncify {

class Cursor {
 public:
  // `base` is the absolute offset of data[0] in the module (for error messages).
  Cursor(std::span<const uint8_t> data, uint64_t base = 0) : data_(data), base_(base) {}

  uint64_t offset() const { return base_ + pos_; }  // absolute
  size_t position() const { return pos_; }          // relative to data[0]
  size_t remaining() const { return data_.size() - pos_; }
  bool atEnd() const { return pos_ == data_.size(); }
  std::span<const uint8_t> data() const { return data_; }
  uint64_t base() const { return base_; }

  [[noreturn]] void fail(const std::string& what, std::string feature = {}) const {
    throw Error(what, offset(), std::move(feature));
  }
  [[noreturn]] void failAt(uint64_t absoluteOffset, const std::string& what,
                           std::string feature = {}) const {
    throw Error(what, absoluteOffset, std::move(feature));
  }

  uint8_t peekByte() const {
    if (pos_ >= data_.size()) fail("unexpected end of input");
    return data_[pos_];
  }
  uint8_t readByte() {
    if (pos_ >= data_.size()) fail("unexpected end of input");
    return data_[pos_++];
  }
  std::span<const uint8_t> readBytes(size_t n) {
    if (n > remaining()) fail("unexpected end of input: need " + std::to_string(n) + " bytes");
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  void skip(size_t n) { readBytes(n); }
  uint32_t readFixedU32() {
    auto b = readBytes(4);
    uint32_t v;
    std::memcpy(&v, b.data(), 4);
    return v;  // little-endian hosts only (x86-64, aarch64)
  }
  uint64_t readFixedU64() {
    auto b = readBytes(8);
    uint64_t v;
    std::memcpy(&v, b.data(), 8);
    return v;
  }

  uint32_t readVarU32() { return static_cast<uint32_t>(readUnsigned(32)); }
  uint64_t readVarU64() { return readUnsigned(64); }
  int32_t readVarS32() { return static_cast<int32_t>(readSigned(32)); }
  int64_t readVarS64() { return readSigned(64); }
  int64_t readVarS33() { return readSigned(33); }

  // A count of items each at least `minItemBytes` long: checked against the bytes left
  // before anyone allocates for it.
  uint32_t readCount(const char* what, size_t minItemBytes = 1) {
    uint64_t at = offset();
    uint32_t n = readVarU32();
    if (minItemBytes && static_cast<uint64_t>(n) * minItemBytes > remaining())
      failAt(at, std::string(what) + " count " + std::to_string(n) + " exceeds the bytes left");
    return n;
  }

  std::string_view readName() {
    uint32_t n = readVarU32();
    auto b = readBytes(n);
    std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
    if (!isValidUtf8(s)) failAt(offset() - n, "name is not valid UTF-8");
    return s;
  }

  static bool isValidUtf8(std::string_view s);

 private:
  uint64_t readUnsigned(unsigned bits) {
    uint64_t result = 0;
    unsigned shift = 0;
    uint64_t start = offset();
    for (;;) {
      if (pos_ >= data_.size()) failAt(start, "unexpected end of input in LEB128");
      uint8_t byte = data_[pos_++];
      uint64_t low = byte & 0x7f;
      if (shift + 7 > bits && (low >> (bits - shift)) != 0)
        failAt(start, "LEB128 integer too large for u" + std::to_string(bits));
      result |= low << shift;
      shift += 7;
      if (!(byte & 0x80)) return result;
      if (shift >= bits) failAt(start, "LEB128 integer too long for u" + std::to_string(bits));
    }
  }
  int64_t readSigned(unsigned bits) {
    uint64_t result = 0;
    unsigned shift = 0;
    uint64_t start = offset();
    uint8_t byte;
    for (;;) {
      if (pos_ >= data_.size()) failAt(start, "unexpected end of input in LEB128");
      byte = data_[pos_++];
      result |= static_cast<uint64_t>(byte & 0x7f) << (shift < 64 ? shift : 63);
      shift += 7;
      if (!(byte & 0x80)) break;
      if (shift >= bits) failAt(start, "LEB128 integer too long for s" + std::to_string(bits));
    }
    if (shift > bits) {
      // Bits of the last byte beyond the integer's width must all equal its sign bit.
      unsigned used = bits - (shift - 7);
      unsigned mask = (0x7fu >> (used - 1)) << (used - 1);
      unsigned payload = byte & 0x7fu;
      if ((payload & mask) != 0 && (payload & mask) != mask)
        failAt(start, "LEB128 integer too large for s" + std::to_string(bits));
    }
    if (shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
    return static_cast<int64_t>(result);
  }

  std::span<const uint8_t> data_;
  uint64_t base_;
  size_t pos_ = 0;
};

}  // namespace asyncify
