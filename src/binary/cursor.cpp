#include "asyncify/binary/cursor.h"

namespace asyncify {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool Cursor::isValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    size_t need;
    uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c == 0xe0)
        lo = 0xa0;  // overlong
      else if (c == 0xed)
        hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c == 0xf0)
        lo = 0x90;  // overlong
      else if (c == 0xf4)
        hi = 0x8f;  // above U+10FFFF
    } else {
      return false;  // continuation byte, overlong 0xc0/0xc1, or 0xf5..0xff
    }
    if (static_cast<size_t>(end - p) <= need) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (size_t i = 2; i <= need; ++i)
      if ((p[i] & 0xc0) != 0x80) return false;
    p += need + 1;
  }
  return true;
}

}  // namespace asyncify
