#include "helper_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "asyncify/binary/encoding.h"

namespace asyncify {

namespace {

using Available = std::map<std::pair<HelperUse::Kind, bool>, std::vector<FrameSignature>>;

// What costing a helper needs: the target, and the module's types (a helper whose type the
// module has already costs no type).
struct Costing {
  const InstrumentTarget& target;
  const Module& module;
  bool typeExists(const FuncType& t) const { return module.findFuncType(t).has_value(); }
};

// What a helper adds to the module: its type (often its own), its entry in the function
// section and its body, chained to a shorter helper of the same kind (`tailValues` of them).
// Estimated with the shared reserve and release functions, which modules with several helpers
// get (see chooseFrameStackOps).
size_t helperCost(const HelperUse& use, const Costing& c, std::optional<size_t> tailValues) {
  std::optional<HelperTail> tail;
  if (tailValues) tail = HelperTail{0, *tailValues};
  const auto noScratch = [](uint32_t) { return 0u; };
  // (At about where they go: after the module's functions and the helpers.)
  const uint32_t near = c.module.numFunctions() + 32;
  const FrameStackOps shared{near, near + 1};
  const size_t body = helperBody(use, c.target, noScratch, tail, shared).size();
  const FuncType type = helperType(use);
  const auto count = [](size_t n) { return varU32Size(static_cast<uint32_t>(n)); };
  const size_t typeBytes = c.typeExists(type)
                               ? 0
                               : 1 + count(type.params.size()) + type.params.size() +
                                     count(type.results.size()) + type.results.size();
  return typeBytes + 2 + count(body) + body;
}

size_t helperCost(const HelperUse& use, const Costing& c, const Available& available) {
  std::optional<size_t> tail;
  auto it = available.find({use.kind, use.part});
  if (it != available.end())
    if (auto s = tailSignature(use.signature, it->second)) tail = s->kinds.size();
  return helperCost(use, c, tail);
}

FrameSignature i32s(size_t n) {
  return {std::vector<ValType::Kind>(n, ValType::I32)};
}

// The i32 sizes for frames with `frames[n]` frames of n i32 values: each size in use costs its
// save and restore helpers (chained to the next smaller size), each padded slot 3 bytes per
// frame. Shortest path over the distinct counts in increasing order, each step choosing the
// previous size (the largest count is always a size; padding to anything but a count wastes).
// No frame grows by more than half (or 2 slots): frames cost stores on every pause and room
// in the buffer, and a deep stack repeats them.
std::map<size_t, size_t> chooseI32Sizes(const std::map<size_t, size_t>& frames,
                                        const Costing& costing) {
  std::vector<size_t> count, weight;
  for (const auto& [n, f] : frames) {
    count.push_back(n);
    weight.push_back(f);
  }
  const size_t m = count.size();
  constexpr size_t kReach = 32;  // previous sizes considered: bounds the work on odd modules
  std::map<std::pair<size_t, size_t>, size_t> pairCosts;
  auto pairCost = [&](size_t s, std::optional<size_t> previous) {
    std::optional<size_t> tail;
    if (previous && *previous > 0 && *previous + 2 <= s) tail = previous;
    auto [it, fresh] = pairCosts.emplace(std::pair{s, tail.value_or(0)}, 0);
    if (fresh)
      it->second = helperCost({HelperUse::Save, i32s(s)}, costing, tail) +
                   helperCost({HelperUse::Restore, i32s(s)}, costing, tail);
    return it->second;
  };
  std::vector<size_t> best(m, SIZE_MAX), from(m, 0);
  for (size_t i = 0; i < m; i++) {
    // count[j..i] padded to count[i], after the best sizes for count[0..j-1]; j walks down.
    size_t padding = 0;
    for (size_t j = i + 1; j-- > 0;) {
      if (count[i] > count[j] + std::max<size_t>(2, count[j] / 2)) break;
      padding += 3 * (count[i] - count[j]) * weight[j];
      const size_t before = j == 0 ? 0 : best[j - 1];
      const auto previous = j == 0 ? std::nullopt : std::optional<size_t>(count[j - 1]);
      const size_t total = before + padding + pairCost(count[i], previous);
      if (total < best[i]) {
        best[i] = total;
        from[i] = j;
      }
      if (i - j >= kReach) break;
    }
  }
  std::map<size_t, size_t> size;
  for (size_t i = m; i > 0;) {
    const size_t j = from[i - 1];
    for (size_t k = j; k < i; k++) size[count[k]] = count[i - 1];
    i = j;
  }
  return size;
}

size_t trailingI32s(const FrameSignature& s) {
  size_t n = 0;
  while (n < s.kinds.size() && s.kinds[s.kinds.size() - 1 - n] == ValType::I32) n++;
  return n;
}

}  // namespace

HelperPlan planHelpers(const std::vector<FunctionInstrumentation>& results,
                       const InstrumentTarget& target, const Module& m) {
  const Costing costing{target, m};
  const uint32_t firstHelper = m.numFunctions();
  HelperPlan plan;
  plan.i32Padding.assign(results.size(), 0);
  // The i32 values of frames saved by multi-value calls: padded to the module's sizes, in the
  // calls that take them and in the whole signatures of their groups.
  std::vector<size_t> i32Count(results.size(), 0);
  std::map<size_t, size_t> frames;  // i32 count -> frames
  for (size_t f = 0; f < results.size(); f++) {
    const auto& r = results[f];
    if (r.i32GroupCalls.empty()) continue;
    i32Count[f] = trailingI32s(r.helpers[r.i32GroupCalls[0]].signature);
    frames[i32Count[f]]++;
  }
  const std::map<size_t, size_t> sizes = chooseI32Sizes(frames, costing);
  std::vector<std::vector<HelperUse>> uses(results.size());
  std::vector<std::vector<HelperGroup>> groups(results.size());
  for (size_t f = 0; f < results.size(); f++) {
    const auto& r = results[f];
    uses[f] = r.helpers;
    groups[f] = r.helperGroups;
    if (r.i32GroupCalls.empty()) continue;
    const size_t n = i32Count[f];
    plan.i32Padding[f] = static_cast<uint32_t>(sizes.at(n) - n);
    auto pad = [&](FrameSignature& s) {
      s.kinds.insert(s.kinds.end(), plan.i32Padding[f], ValType::I32);
    };
    for (uint32_t slot : r.i32GroupCalls) pad(uses[f][slot].signature);
    for (auto& g : groups[f]) pad(g.whole.signature);
  }
  // Uses whose calls stay whatever is decided, and the groups by whole signature. A frame is
  // saved and restored alike, by parts or whole: the two lay it out differently (see
  // HelperTail), so both directions of a signature are decided together.
  std::set<HelperUse> standalone;
  struct Whole {
    std::vector<HelperUse> parts;  // of the save, then of the restore
    size_t extraCalls = 0;         // over all frames, in both directions, when split
    bool split = false;
  };
  std::map<FrameSignature, Whole> wholes;
  std::set<HelperUse> wholeUses;
  for (size_t f = 0; f < results.size(); f++) {
    std::vector<bool> grouped(uses[f].size(), false);
    for (const auto& g : groups[f]) {
      Whole& w = wholes[g.whole.signature];
      if (wholeUses.insert(g.whole).second)
        for (uint32_t slot : g.parts) w.parts.push_back(uses[f][slot]);
      w.extraCalls += g.parts.size() - 1;
      for (uint32_t slot : g.parts) grouped[slot] = true;
    }
    for (size_t k = 0; k < uses[f].size(); k++)
      if (!grouped[k]) standalone.insert(uses[f][k]);
  }
  Available available;
  auto offer = [&](const HelperUse& u) {
    auto& list = available[{u.kind, u.part}];
    if (std::find(list.begin(), list.end(), u.signature) == list.end()) list.push_back(u.signature);
  };
  for (const auto& u : standalone) offer(u);
  for (const auto& [whole, w] : wholes)
    for (const auto& p : w.parts) offer(p);
  // A whole signature's own helpers cost their bytes (nothing when a frame uses one as it is);
  // splitting costs a call per further part and frame, and the parts no one else needs.
  const size_t callBytes =
      1 + varU32Size(firstHelper + 2 * static_cast<uint32_t>(standalone.size() + wholeUses.size()));
  std::map<HelperUse, size_t> costs;
  auto cost = [&](const HelperUse& u) {
    auto it = costs.find(u);
    if (it == costs.end()) it = costs.emplace(u, helperCost(u, costing, available)).first;
    return it->second;
  };
  std::map<FrameSignature, long> gain;  // bytes that splitting saves, before the parts' cost
  for (auto& [signature, w] : wholes) {
    size_t own = 0;
    for (auto kind : {HelperUse::Save, HelperUse::Restore}) {
      const HelperUse whole{kind, signature};
      if (wholeUses.count(whole) && !standalone.count(whole)) own += cost(whole);
    }
    gain[signature] = static_cast<long>(own) - static_cast<long>(w.extraCalls * callBytes);
    w.split = gain[signature] > 0;
  }
  for (bool changed = true; changed;) {
    changed = false;
    std::map<HelperUse, std::vector<FrameSignature>> usersOf;  // part -> split wholes using it
    for (const auto& [signature, w] : wholes)
      if (w.split)
        for (const auto& p : w.parts)
          if (!standalone.count(p)) usersOf[p].push_back(signature);
    for (const auto& [part, users] : usersOf) {
      long total = 0;
      for (const auto& u : users) total += gain[u];
      if (total >= static_cast<long>(cost(part))) continue;
      for (const auto& u : users) wholes[u].split = false;
      changed = true;
      break;  // the parts' users changed: count again
    }
  }
  plan.calls.resize(results.size());
  for (size_t f = 0; f < results.size(); f++) {
    auto& calls = plan.calls[f];
    calls.assign(uses[f].begin(), uses[f].end());
    for (const auto& g : groups[f]) {
      if (wholes.at(g.whole.signature).split) continue;
      // A save's values are all pushed by its last call; a restore's first call pushes them.
      for (uint32_t slot : g.parts) calls[slot].reset();
      calls[g.whole.kind == HelperUse::Save ? g.parts.back() : g.parts.front()] = g.whole;
    }
  }
  return plan;
}

const std::vector<size_t>& HelperChains::layoutOf(const HelperUse& use) const {
  static const std::vector<size_t> kNoChain;
  auto it = savedBy.find(use);
  return it == savedBy.end() ? kNoChain : it->second;
}

HelperChains chainHelpers(const std::map<HelperUse, uint32_t>& index, bool handsOver) {
  HelperChains chains;
  std::map<bool, std::vector<FrameSignature>> saved;  // save signatures, by part
  for (const auto& [use, fn] : index)
    if (use.kind == HelperUse::Save && !handsOver) saved[use.part].push_back(use.signature);
  for (const auto& [use, fn] : index) {
    if (use.kind != HelperUse::Save) continue;
    std::optional<HelperTail> tail;
    if (auto s = tailSignature(use.signature, saved[use.part]))
      tail = HelperTail{index.at({use.kind, *s, use.part}), s->kinds.size()};
    chains.tail.emplace(use, tail);
  }
  auto lastValues = [](FrameSignature s, size_t n) {
    s.kinds.erase(s.kinds.begin(), s.kinds.end() - static_cast<std::ptrdiff_t>(n));
    return s;
  };
  for (const auto& [use, fn] : index) {
    if (use.kind == HelperUse::Save) continue;
    std::vector<size_t> chain;
    for (HelperUse save{HelperUse::Save, use.signature, use.part};;) {
      auto it = chains.tail.find(save);
      if (it == chains.tail.end() || !it->second) break;
      chain.push_back(it->second->values);
      save.signature = lastValues(save.signature, it->second->values);
    }
    std::optional<HelperTail> tail;
    if (use.kind == HelperUse::Restore && !chain.empty()) {
      const HelperUse shorter{use.kind, lastValues(use.signature, chain[0]), use.part};
      if (auto it = index.find(shorter); it != index.end()) tail = HelperTail{it->second, chain[0]};
    }
    chains.tail.emplace(use, tail);
    if (!tail) chains.savedBy.emplace(use, std::move(chain));  // else the tail reads the rest
  }
  return chains;
}

FrameStackOps chooseFrameStackOps(const HelperChains& chains, const InstrumentTarget& t,
                                  uint32_t next, const std::function<uint32_t(uint32_t)>& scratch) {
  const FrameStackOps inlined;
  const FrameStackOps shared{next, next + 1};
  const auto ownCost = [](size_t body) { return 1 + 5 + varU32Size(body) + body; };  // + type
  long reserveGain = -static_cast<long>(ownCost(reserveBody(t).size()));
  long releaseGain = -static_cast<long>(ownCost(releaseBody(t).size()));
  for (const auto& [use, tail] : chains.tail) {
    const auto& layout = chains.layoutOf(use);
    const long saved =
        static_cast<long>(helperBody(use, t, scratch, tail, inlined, layout).size()) -
        static_cast<long>(helperBody(use, t, scratch, tail, shared, layout).size());
    (use.kind == HelperUse::Save ? reserveGain : releaseGain) += saved;
  }
  FrameStackOps ops;
  if (reserveGain > 0) ops.reserve = next++;
  if (releaseGain > 0) ops.release = next;
  return ops;
}

}  // namespace asyncify
