// The `name` custom section (extended name section subsections included). A malformed one is
// not an error: engines ignore it, so we keep it raw and simply do not use its names.
#include "names.h"

#include <algorithm>

#include "asyncify/binary/cursor.h"
#include "asyncify/binary/encoding.h"

namespace asyncify::detail {

namespace {

constexpr uint8_t kModuleSub = 0, kFunctionSub = 1, kLocalSub = 2, kGlobalSub = 7;

// Returns false on a duplicate index (which a map cannot represent faithfully).
bool readNameMap(Cursor& c, std::map<uint32_t, std::string>& out) {
  uint32_t n = c.readCount("name", 2);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t index = c.readVarU32();
    if (!out.emplace(index, std::string(c.readName())).second) return false;
  }
  return true;
}

void writeNameMap(std::vector<uint8_t>& out, const std::map<uint32_t, std::string>& map) {
  writeVarU32(out, static_cast<uint32_t>(map.size()));
  for (const auto& [index, name] : map) {
    writeVarU32(out, index);
    writeName(out, name);
  }
}

}  // namespace

std::optional<NameSection> parseNameSection(std::span<const uint8_t> payload, uint64_t base) {
  NameSection names;
  try {
    Cursor c(payload, base);
    int lastId = -1;
    while (!c.atEnd()) {
      uint8_t id = c.readByte();
      if (static_cast<int>(id) <= lastId) return std::nullopt;  // out of order or repeated
      lastId = id;
      uint32_t size = c.readVarU32();
      uint64_t subBase = c.offset();
      Cursor s(c.readBytes(size), subBase);
      switch (id) {
        case kModuleSub:
          names.moduleName = std::string(s.readName());
          break;
        case kFunctionSub:
          if (!readNameMap(s, names.functions)) return std::nullopt;
          break;
        case kLocalSub: {
          uint32_t n = s.readCount("local name function", 2);
          for (uint32_t i = 0; i < n; ++i) {
            uint32_t func = s.readVarU32();
            auto [it, inserted] = names.locals.try_emplace(func);
            if (!inserted || !readNameMap(s, it->second)) return std::nullopt;
          }
          break;
        }
        case kGlobalSub:
          if (!readNameMap(s, names.globals)) return std::nullopt;
          break;
        default: {
          auto raw = s.readBytes(s.remaining());
          names.otherSubsections.emplace_back(id, std::vector<uint8_t>(raw.begin(), raw.end()));
          break;
        }
      }
      if (!s.atEnd()) return std::nullopt;
    }
  } catch (const Error&) {
    return std::nullopt;
  }
  return names;
}

std::vector<uint8_t> encodeNameSection(const NameSection& names) {
  std::vector<std::pair<uint8_t, std::vector<uint8_t>>> subs;
  if (names.moduleName) {
    std::vector<uint8_t> b;
    writeName(b, *names.moduleName);
    subs.emplace_back(kModuleSub, std::move(b));
  }
  if (!names.functions.empty()) {
    std::vector<uint8_t> b;
    writeNameMap(b, names.functions);
    subs.emplace_back(kFunctionSub, std::move(b));
  }
  if (!names.locals.empty()) {
    std::vector<uint8_t> b;
    writeVarU32(b, static_cast<uint32_t>(names.locals.size()));
    for (const auto& [func, map] : names.locals) {
      writeVarU32(b, func);
      writeNameMap(b, map);
    }
    subs.emplace_back(kLocalSub, std::move(b));
  }
  if (!names.globals.empty()) {
    std::vector<uint8_t> b;
    writeNameMap(b, names.globals);
    subs.emplace_back(kGlobalSub, std::move(b));
  }
  for (const auto& other : names.otherSubsections) subs.push_back(other);
  std::stable_sort(subs.begin(), subs.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });

  std::vector<uint8_t> out;
  for (const auto& [id, payload] : subs) {
    out.push_back(id);
    writeVarU32(out, static_cast<uint32_t>(payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
  }
  return out;
}

}  // namespace asyncify::detail
