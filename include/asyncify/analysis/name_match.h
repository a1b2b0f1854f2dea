// Binaryen's list entries: exact names, or globs where '*' matches any run of characters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace asyncify {

bool globMatch(std::string_view pattern, std::string_view text);

// A list of entries matched against names, remembering which entries ever matched so that
// unused ones can be reported as Binaryen does.
class NameList {
 public:
  NameList() = default;
  explicit NameList(std::vector<std::string> entries);
  bool empty() const { return entries_.empty(); }
  bool matches(std::string_view name);
  // Entries that matched nothing, for the warnings.
  std::vector<std::string> unmatched() const;
  const std::vector<std::string>& entries() const { return entries_; }

 private:
  std::vector<std::string> entries_;
  std::vector<bool> used_;
};

}  // namespace asyncify
