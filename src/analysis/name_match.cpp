#include "asyncify/analysis/name_match.h"

namespace asyncify {

bool globMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard matching with backtracking to the last '*' only: linear-ish, no recursion.
  size_t p = 0, t = 0, starP = std::string_view::npos, starT = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      p++;
      t++;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

NameList::NameList(std::vector<std::string> entries)
    : entries_(std::move(entries)), used_(entries_.size(), false) {}

bool NameList::matches(std::string_view name) {
  bool any = false;
  for (size_t i = 0; i < entries_.size(); i++) {
    const auto& e = entries_[i];
    bool hit = e.find('*') == std::string::npos ? e == name : globMatch(e, name);
    if (hit) {
      used_[i] = true;
      any = true;
    }
  }
  return any;
}

std::vector<std::string> NameList::unmatched() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < entries_.size(); i++)
    if (!used_[i]) out.push_back(entries_[i]);
  return out;
}

}  // namespace asyncify
