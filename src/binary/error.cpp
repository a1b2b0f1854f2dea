#include "asyncify/binary/error.h"

#include <cstdio>

namespace asyncify {

std::string Error::describe() const {
  std::string out = message_;
  if (offset_) {
    char buf[40];
    std::snprintf(buf, sizeof buf, " (at offset 0x%llx)",
                  static_cast<unsigned long long>(*offset_));
    out += buf;
  }
  if (!feature_.empty()) out += " [feature: " + feature_ + "]";
  return out;
}

}  // namespace asyncify
