// A tiny way to hand-write (possibly malformed) binary modules in tests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace asyncify::test {

using Bytes = std::vector<uint8_t>;

inline Bytes leb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
      out.push_back(b);
      return out;
    }
    out.push_back(b | 0x80);
  }
}

// Concatenation of byte strings.
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes str(std::string_view s) {
  return cat({leb(s.size()), Bytes(s.begin(), s.end())});
}

// A vector: count then the items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = leb(items.size());
  for (const auto& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes section(uint8_t id, const Bytes& payload) {
  return cat({Bytes{id}, leb(payload.size()), payload});
}

inline Bytes customSection(std::string_view name, const Bytes& payload) {
  return section(0, cat({str(name), payload}));
}

inline Bytes header() {
  return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
}

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const auto& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Common pieces.
constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f;
inline Bytes funcType(Bytes params, Bytes results) {
  return cat({Bytes{0x60}, leb(params.size()), params, leb(results.size()), results});
}
// A body: locals (vector of (count, type)) and code without the final end.
inline Bytes body(Bytes locals, Bytes code) {
  Bytes b = cat({locals, code, Bytes{0x0b}});
  return cat({leb(b.size()), b});
}
inline Bytes noLocals() {
  return leb(0);
}
inline Bytes i32Const(int32_t v) {
  return cat({Bytes{0x41}, sleb(v), Bytes{0x0b}});
}

}  // namespace asyncify::test
