#include "helper_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "asyncify/binary/encoding.h"

namespace asyncify {

namespace {

size_t lebSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

// What a helper adds to the module: its type (often its own), its entry in the function
// section and its body, chained to a shorter helper of the same kind when one is in use.
size_t helperCost(
    const HelperUse& use, const InstrumentTarget& target,
    const std::map<std::pair<HelperUse::Kind, bool>, std::vector<FrameSignature>>& available) {
  std::optional<HelperTail> tail;
  auto it = available.find({use.kind, use.part});
  if (it != available.end())
    if (auto s = tailSignature(use.signature, it->second)) tail = HelperTail{0, s->kinds.size()};
  const size_t body = helperBody(
                          use, target, [](uint32_t) { return 0u; }, tail)
                          .size();
  const FuncType type = helperType(use);
  const size_t typeBytes = 1 + lebSize(type.params.size()) + type.params.size() +
                           lebSize(type.results.size()) + type.results.size();
  return typeBytes + 2 + lebSize(body) + body;
}

}  // namespace

HelperCalls planHelpers(const std::vector<FunctionInstrumentation>& results,
                        const InstrumentTarget& target, uint32_t firstHelper) {
  // Uses whose calls stay whatever is decided, and the groups by whole signature.
  std::set<HelperUse> standalone;
  struct Whole {
    std::vector<HelperUse> parts;
    size_t frames = 0;
    bool split = false;
  };
  std::map<HelperUse, Whole> wholes;
  for (const auto& r : results) {
    std::vector<bool> grouped(r.helpers.size(), false);
    for (const auto& g : r.helperGroups) {
      Whole& w = wholes[g.whole];
      if (w.parts.empty())
        for (uint32_t slot : g.parts) w.parts.push_back(r.helpers[slot]);
      w.frames++;
      for (uint32_t slot : g.parts) grouped[slot] = true;
    }
    for (size_t k = 0; k < r.helpers.size(); k++)
      if (!grouped[k]) standalone.insert(r.helpers[k]);
  }
  std::map<std::pair<HelperUse::Kind, bool>, std::vector<FrameSignature>> available;
  auto offer = [&](const HelperUse& u) {
    auto& list = available[{u.kind, u.part}];
    if (std::find(list.begin(), list.end(), u.signature) == list.end()) list.push_back(u.signature);
  };
  for (const auto& u : standalone) offer(u);
  for (const auto& [whole, w] : wholes)
    for (const auto& p : w.parts) offer(p);
  // A whole signature's own helper costs its bytes (nothing when a frame uses it as it is);
  // splitting costs a call per further part and frame, and the parts no one else needs.
  const size_t callBytes = 1 + lebSize(firstHelper + 2 * (standalone.size() + wholes.size()));
  std::map<HelperUse, size_t> costs;
  auto cost = [&](const HelperUse& u) {
    auto it = costs.find(u);
    if (it == costs.end()) it = costs.emplace(u, helperCost(u, target, available)).first;
    return it->second;
  };
  std::map<HelperUse, long> gain;  // bytes that splitting saves, before the parts' own cost
  for (auto& [whole, w] : wholes) {
    const size_t own = standalone.count(whole) ? 0 : cost(whole);
    gain[whole] =
        static_cast<long>(own) - static_cast<long>(w.frames * (w.parts.size() - 1) * callBytes);
    w.split = gain[whole] > 0;
  }
  for (bool changed = true; changed;) {
    changed = false;
    std::map<HelperUse, std::vector<HelperUse>> usersOf;  // part -> split wholes using it
    for (const auto& [whole, w] : wholes)
      if (w.split)
        for (const auto& p : w.parts)
          if (!standalone.count(p)) usersOf[p].push_back(whole);
    for (const auto& [part, users] : usersOf) {
      long total = 0;
      for (const auto& u : users) total += gain[u];
      if (total >= static_cast<long>(cost(part))) continue;
      for (const auto& u : users) wholes[u].split = false;
      changed = true;
      break;  // the parts' users changed: count again
    }
  }
  HelperCalls calls(results.size());
  for (size_t f = 0; f < results.size(); f++) {
    const auto& r = results[f];
    calls[f].assign(r.helpers.begin(), r.helpers.end());
    for (const auto& g : r.helperGroups) {
      if (wholes.at(g.whole).split) continue;
      // A save's values are all pushed by its last call; a restore's first call pushes them.
      for (uint32_t slot : g.parts) calls[f][slot].reset();
      calls[f][g.whole.kind == HelperUse::Save ? g.parts.back() : g.parts.front()] = g.whole;
    }
  }
  return calls;
}

}  // namespace asyncify
