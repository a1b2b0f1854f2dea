// Binaryen's `--pass-arg=asyncify-KEY@VALUE` spellings, parsed into AsyncifyOptions.
#include "asyncify/transform/options.h"

#include <cstdint>

#include "asyncify/binary/error.h"
#include "asyncify/binary/writer.h"

namespace asyncify {
namespace {

std::string readResponseFile(std::string_view path) {
  try {
    const std::vector<uint8_t> bytes = readFile(std::string(path));  // refuses directories
    return std::string(bytes.begin(), bytes.end());
  } catch (const Error& e) {
    throw Error("response file: " + e.message());
  }
}

bool isOpen(char c) {
  return c == '(' || c == '<' || c == '[' || c == '{';
}
bool isClose(char c) {
  return c == ')' || c == '>' || c == ']' || c == '}';
}

// Commas inside C++ signatures ("foo(int, char)") are not separators: pieces are rejoined
// until their brackets balance.
std::vector<std::string> splitCommasRejoiningBrackets(std::string_view value) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (char c : value) {
    if (c == ',' && depth == 0) {
      out.push_back(current);
      current.clear();
      continue;
    }
    if (isOpen(c)) depth++;
    if (isClose(c) && --depth < 0)
      throw Error("unbalanced brackets in asyncify list entry '" + current + c + "'");
    current += c;
  }
  if (depth != 0) throw Error("unbalanced brackets in asyncify list entry '" + current + "'");
  out.push_back(current);
  return out;
}

std::vector<std::string> splitOn(std::string_view value, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(separator, start);
    if (end == std::string_view::npos) end = value.size();
    out.emplace_back(value.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

uint64_t parseUnsigned(std::string_view key, std::string_view value) {
  uint64_t n = 0;
  if (value.empty()) throw Error("asyncify-" + std::string(key) + " needs a number");
  for (char c : value) {
    if (c < '0' || c > '9')
      throw Error("asyncify-" + std::string(key) + ": '" + std::string(value) +
                  "' is not a number");
    const auto digit = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - digit) / 10)
      throw Error("asyncify-" + std::string(key) + ": '" + std::string(value) + "' is too large");
    n = n * 10 + digit;
  }
  return n;
}

}  // namespace

std::vector<std::string> parseList(std::string_view value, bool rejoinBrackets) {
  std::string storage;
  if (!value.empty() && value.front() == '@') {
    storage = readResponseFile(value.substr(1));
    value = storage;
  }
  std::vector<std::string> items;
  size_t newline = value.find('\n');
  if (newline != std::string_view::npos && newline + 1 != value.size()) {
    items = splitOn(value, '\n');  // one entry per line, taken as written
  } else {
    if (newline != std::string_view::npos) value.remove_suffix(1);
    items = rejoinBrackets ? splitCommasRejoiningBrackets(value) : splitOn(value, ',');
  }
  std::vector<std::string> out;
  for (auto& item : items) {
    if (!item.empty() && item.back() == '\r') item.pop_back();
    if (!item.empty()) out.push_back(std::move(item));
  }
  return out;
}

std::string_view passArgName(std::string_view key) {
  constexpr std::string_view kPrefix = "asyncify-";
  if (key.starts_with(kPrefix)) key.remove_prefix(kPrefix.size());
  return key;
}

void applyPassArg(AsyncifyOptions& o, std::string_view key, std::string_view value) {
  key = passArgName(key);
  auto flag = [&](bool& target) { target = value.empty() || value != "0"; };
  if (key == "imports") {
    o.imports = parseList(value, false);
  } else if (key == "ignore-imports") {
    flag(o.ignoreImports);
  } else if (key == "ignore-indirect") {
    flag(o.ignoreIndirect);
  } else if (key == "asserts") {
    flag(o.asserts);
  } else if (key == "removelist" || key == "blacklist") {
    auto list = parseList(value, true);
    o.removeList.insert(o.removeList.end(), list.begin(), list.end());
  } else if (key == "addlist") {
    auto list = parseList(value, true);
    o.addList.insert(o.addList.end(), list.begin(), list.end());
  } else if (key == "propagate-addlist") {
    flag(o.propagateAddList);
  } else if (key == "onlylist" || key == "whitelist") {
    o.onlyList = parseList(value, true);
  } else if (key == "relocatable" || key == "import-globals") {
    flag(o.importGlobals);
  } else if (key == "export-globals") {
    flag(o.exportGlobals);
  } else if (key == "memory") {
    if (value.empty()) throw Error("asyncify-memory needs a memory export name");
    o.memoryExport = std::string(value);
  } else if (key == "in-secondary-memory") {
    flag(o.secondaryMemory);
  } else if (key == "secondary-memory-size") {
    o.secondaryMemoryPages = parseUnsigned(key, value);
  } else if (key == "verbose") {
    flag(o.verbose);
  } else if (key == "no-bounds-check") {
    o.boundsCheck = false;
  } else {
    throw Error("unknown asyncify pass argument 'asyncify-" + std::string(key) + "'");
  }
}

}  // namespace asyncify
