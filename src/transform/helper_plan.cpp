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

// What the save and restore helpers of `kind` values cost (parts or with the id), by size:
// each chained to the next smaller size of the module's when that is at least two smaller.
class HelperPairCosts {
 public:
  HelperPairCosts(const Costing& costing, ValType::Kind kind, bool part)
      : costing_(costing), kind_(kind), part_(part) {}

  size_t operator()(size_t size, std::optional<size_t> previous) {
    std::optional<size_t> tail;
    if (previous && *previous > 0 && *previous + 2 <= size) tail = previous;
    auto [it, fresh] = costs_.emplace(std::pair{size, tail.value_or(0)}, 0);
    if (fresh) {
      const FrameSignature signature{std::vector<ValType::Kind>(size, kind_)};
      it->second = helperCost({HelperUse::Save, signature, part_}, costing_, tail) +
                   helperCost({HelperUse::Restore, signature, part_}, costing_, tail);
    }
    return it->second;
  }

  // Helpers of all these sizes.
  size_t of(const std::set<size_t>& sizes) {
    size_t bytes = 0;
    std::optional<size_t> previous;
    for (size_t size : sizes) {
      bytes += (*this)(size, previous);
      previous = size;
    }
    return bytes;
  }

 private:
  const Costing& costing_;
  const ValType::Kind kind_;
  const bool part_;
  std::map<std::pair<size_t, size_t>, size_t> costs_;  // by size and tail
};

// For each v up to `largest`: the fewest runs that take exactly v values, a run through the
// helper of size s taking s + `extra` values, and the size of the last run (v = 0: none).
using FewestRuns = std::vector<std::pair<size_t, size_t>>;
FewestRuns fewestRuns(const std::set<size_t>& sizes, size_t largest, size_t extra) {
  FewestRuns runs(largest + 1, {SIZE_MAX, 0});
  runs[0] = {0, 0};
  for (size_t v = 1; v <= largest; v++)
    for (size_t size : sizes)
      if (size + extra <= v && runs[v - size - extra].first != SIZE_MAX &&
          runs[v - size - extra].first + 1 < runs[v].first)
        runs[v] = {runs[v - size - extra].first + 1, size};
  return runs;
}

// The sizes of the runs that take v values (see fewestRuns), the top run first.
std::vector<size_t> runSizes(const FewestRuns& runs, size_t v, size_t extra) {
  std::vector<size_t> sizes;
  for (size_t left = v; left > 0; left -= runs[left].second + extra)
    sizes.push_back(runs[left].second);
  return sizes;
}

// How a frame's n i32 values go to the module's i32 helper sizes: the last ones, padded, with
// the id through the helper of size `primary`; below them, runs of s + 1 values through each
// helper of size s in `secondaries` (bottom first), the run's first value in the id's slot. A
// secondary costs a call when saving and one when restoring, in place of the helpers a larger
// size would need.
struct I32Split {
  size_t primary = 0;
  std::vector<size_t> secondaries;
  size_t values() const {
    size_t v = primary;
    for (size_t s : secondaries) v += s + 1;
    return v;
  }
};

// Frames with the same i32 count: those whose values may be split over several helpers, and
// those kept whole (in recursive functions, whose pauses repeat the extra calls at every level).
struct I32Frames {
  size_t splittable = 0;
  size_t whole = 0;
};
struct I32Splits {
  I32Split splittable, whole;
};

// The i32 sizes for the module, and how each frame uses them: each size costs its save and
// restore helpers (chained to the next smaller size), each padded slot 3 bytes per frame, each
// secondary two calls. No frame grows by more than half (or 2 slots): frames cost stores on
// every pause and room in the buffer, and a deep stack repeats them.
class I32SizeChoice {
 public:
  I32SizeChoice(const std::map<size_t, I32Frames>& frames, const Costing& costing, size_t callBytes)
      : frames_(frames), pairCost_(costing, ValType::I32, false), callBytes_(callBytes) {}

  // From the sizes padding alone would choose, sizes go and come while that lowers the total:
  // with secondaries, a frame needs neither a size of its own nor much padding.
  std::map<size_t, I32Splits> choose() {
    std::set<size_t> sizes = paddedSizes();
    std::set<size_t> candidates;
    for (const auto& [n, f] : frames_) {
      candidates.insert(n);
      if (n > 0) candidates.insert(n - 1);  // a secondary's size for n values exactly
    }
    std::optional<size_t> best = total(sizes);
    // Each round gains bytes; the work is bounded all the same, for modules with very many
    // frame sizes (in evaluated count-values, about a second at most).
    size_t work = 0;
    constexpr size_t kMaxWork = size_t{1} << 28;
    const size_t workPerTotal = frames_.size() * (frames_.rbegin()->first + 1) + 1;
    while (work < kMaxWork) {
      std::optional<std::set<size_t>> bestMove;
      auto consider = [&](std::set<size_t> move) {
        work += workPerTotal;
        const auto cost = total(move);
        if (cost && (!best || *cost < *best)) {
          best = cost;
          bestMove = std::move(move);
        }
      };
      for (size_t size : sizes) {
        std::set<size_t> fewer = sizes;
        fewer.erase(size);
        if (!fewer.empty()) consider(std::move(fewer));
      }
      for (size_t size : candidates) {
        if (sizes.count(size)) continue;
        std::set<size_t> more = sizes;
        more.insert(size);
        consider(std::move(more));
      }
      if (!bestMove) break;
      sizes = std::move(*bestMove);
    }
    std::map<size_t, I32Splits> splits;
    const auto runs = secondaryRuns(sizes);
    for (const auto& [n, f] : frames_) {
      if (f.splittable > 0) splits[n].splittable = split(sizes, runs, n, true)->second;
      if (f.whole > 0) splits[n].whole = split(sizes, runs, n, false)->second;
    }
    return splits;
  }

 private:
  static size_t maxPadding(size_t n) { return std::max<size_t>(2, n / 2); }

  // Padding only: a shortest path over the distinct counts in increasing order, each step
  // choosing the previous size (the largest count is always a size; padding to anything but a
  // count wastes).
  std::set<size_t> paddedSizes() {
    std::vector<size_t> count, weight;
    for (const auto& [n, f] : frames_) {
      count.push_back(n);
      weight.push_back(f.splittable + f.whole);
    }
    const size_t m = count.size();
    constexpr size_t kReach = 32;  // previous sizes considered: bounds the work on odd modules
    std::vector<size_t> best(m, SIZE_MAX), from(m, 0);
    for (size_t i = 0; i < m; i++) {
      // count[j..i] padded to count[i], after the best sizes for count[0..j-1]; j walks down.
      size_t padding = 0;
      for (size_t j = i + 1; j-- > 0;) {
        if (count[i] > count[j] + maxPadding(count[j])) break;
        padding += 3 * (count[i] - count[j]) * weight[j];
        const size_t before = j == 0 ? 0 : best[j - 1];
        const auto previous = j == 0 ? std::nullopt : std::optional<size_t>(count[j - 1]);
        const size_t total = before + padding + pairCost_(count[i], previous);
        if (total < best[i]) {
          best[i] = total;
          from[i] = j;
        }
        if (i - j >= kReach) break;
      }
    }
    std::set<size_t> sizes;
    for (size_t i = m; i > 0; i = from[i - 1]) sizes.insert(count[i - 1]);
    return sizes;
  }

  // Secondaries: a run through the helper of size s takes s + 1 values.
  FewestRuns secondaryRuns(const std::set<size_t>& sizes) const {
    return fewestRuns(sizes, frames_.rbegin()->first, 1);
  }

  // The cheapest way to take n values, with the bytes it costs in the frame's function.
  std::optional<std::pair<size_t, I32Split>> split(const std::set<size_t>& sizes,
                                                   const FewestRuns& runs, size_t n,
                                                   bool splittable) const {
    std::optional<std::pair<size_t, size_t>> best;  // bytes, values in secondaries
    for (size_t v = 0; v <= (splittable ? n : 0); v++) {
      if (runs[v].first == SIZE_MAX) continue;
      auto primary = sizes.lower_bound(n - v);
      if (primary == sizes.end() || *primary - (n - v) > maxPadding(n)) continue;
      const size_t bytes = 3 * (*primary - (n - v)) + 2 * callBytes_ * runs[v].first;
      if (!best || bytes < best->first) best = {bytes, v};
    }
    if (!best) return std::nullopt;
    I32Split s{*sizes.lower_bound(n - best->second), runSizes(runs, best->second, 1)};
    return std::pair{best->first, std::move(s)};
  }

  // The bytes the sizes cost the module (their helpers, and in the functions their padding
  // and secondaries' calls), none when some frame has no way to be saved.
  std::optional<size_t> total(const std::set<size_t>& sizes) {
    size_t bytes = pairCost_.of(sizes);
    const auto runs = secondaryRuns(sizes);
    for (const auto& [n, f] : frames_)
      for (auto [splittable, weight] : {std::pair{true, f.splittable}, {false, f.whole}}) {
        if (weight == 0) continue;
        const auto s = split(sizes, runs, n, splittable);
        if (!s) return std::nullopt;
        bytes += s->first * weight;
      }
    return bytes;
  }

  const std::map<size_t, I32Frames>& frames_;  // by i32 count; not empty
  HelperPairCosts pairCost_;
  const size_t callBytes_;
};

// The sizes of one kind's parts (padded by the instrumenter to a ladder of sizes, see
// paddedCount): a size few frames use may instead be saved by several calls of smaller ones,
// each run exactly a size (a part has no id's slot to spare), which spares its helpers at two
// calls per frame and further run. `frames`: save calls per size. Returns per size the runs,
// bottom first.
std::map<size_t, std::vector<size_t>> choosePartRuns(ValType::Kind kind,
                                                     const std::map<size_t, size_t>& frames,
                                                     const Costing& costing, size_t callBytes) {
  HelperPairCosts pairCost(costing, kind, true);
  const size_t largest = frames.rbegin()->first;
  const auto total = [&](const std::set<size_t>& sizes) -> std::optional<size_t> {
    size_t bytes = pairCost.of(sizes);
    const auto runs = fewestRuns(sizes, largest, 0);
    for (const auto& [n, count] : frames) {
      if (runs[n].first == SIZE_MAX) return std::nullopt;
      bytes += 2 * callBytes * (runs[n].first - 1) * count;
    }
    return bytes;
  };
  std::set<size_t> sizes;
  for (const auto& [n, count] : frames) sizes.insert(n);
  std::optional<size_t> best = total(sizes);
  for (bool better = true; better;) {  // each round takes a size away
    better = false;
    std::set<size_t> chosen = sizes;
    for (size_t size : sizes) {
      std::set<size_t> fewer = sizes;
      fewer.erase(size);
      const auto cost = total(fewer);
      if (cost && *cost < *best) {
        best = cost;
        chosen = std::move(fewer);
        better = true;
      }
    }
    sizes = std::move(chosen);
  }
  const auto runs = fewestRuns(sizes, largest, 0);
  std::map<size_t, std::vector<size_t>> result;
  for (const auto& [n, count] : frames) {
    result[n] = runSizes(runs, n, 0);
    std::reverse(result[n].begin(), result[n].end());  // (any order takes exactly n values)
  }
  return result;
}

}  // namespace

HelperPlan planHelpers(const std::vector<FunctionInstrumentation>& results,
                       const InstrumentTarget& target, const Module& m) {
  const Costing costing{target, m};
  const uint32_t firstHelper = m.numFunctions();
  HelperPlan plan;
  plan.i32Padding.assign(results.size(), 0);
  // The i32 values of frames saved by multi-value calls: fitted to the module's sizes (see
  // I32SizeChoice), in the calls that take them and in the whole signatures of their groups.
  std::vector<size_t> i32Count(results.size(), 0);
  std::map<size_t, I32Frames> frames;  // by i32 count
  for (size_t f = 0; f < results.size(); f++) {
    const auto& r = results[f];
    if (r.i32GroupCalls.empty()) continue;
    i32Count[f] = trailingI32s(r.helpers[r.i32GroupCalls[0]].signature);
    (r.i32Splittable ? frames[i32Count[f]].splittable : frames[i32Count[f]].whole)++;
  }
  // (At about where helpers go: after the module's functions.)
  const size_t helperCallBytes = 1 + varU32Size(firstHelper + 32);
  const auto splits = frames.empty() ? std::map<size_t, I32Splits>{}
                                     : I32SizeChoice(frames, costing, helperCallBytes).choose();
  std::vector<std::vector<HelperUse>> uses(results.size());
  std::vector<std::vector<HelperGroup>> groups(results.size());
  plan.i32Secondaries.resize(results.size());
  std::set<FrameSignature> splitWholes;  // whole signatures of frames with secondaries
  for (size_t f = 0; f < results.size(); f++) {
    const auto& r = results[f];
    uses[f] = r.helpers;
    groups[f] = r.helperGroups;
    if (r.i32GroupCalls.empty()) continue;
    const size_t n = i32Count[f];
    const I32Split& split = r.i32Splittable ? splits.at(n).splittable : splits.at(n).whole;
    plan.i32Padding[f] = static_cast<uint32_t>(split.values() - n);
    plan.i32Secondaries[f] = split.secondaries;
    // The values that go with the id: the last ones, padded.
    auto toPrimary = [&](FrameSignature& s) {
      s.kinds.resize(s.kinds.size() - n);
      s.kinds.insert(s.kinds.end(), split.primary, ValType::I32);
    };
    for (uint32_t slot : r.i32GroupCalls) toPrimary(uses[f][slot].signature);
    for (auto& g : groups[f]) {
      if (split.secondaries.empty()) {
        g.whole.signature.kinds.insert(g.whole.signature.kinds.end(), plan.i32Padding[f],
                                       ValType::I32);
      } else {
        toPrimary(g.whole.signature);
        splitWholes.insert(g.whole.signature);
      }
    }
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
    for (size_t size : plan.i32Secondaries[f])
      for (auto kind : {HelperUse::Save, HelperUse::Restore})
        standalone.insert({kind, i32Signature(size)});
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
    w.split = gain[signature] > 0 || splitWholes.count(signature);
  }
  for (bool changed = true; changed;) {
    changed = false;
    std::map<HelperUse, std::vector<FrameSignature>> usersOf;  // part -> split wholes using it
    for (const auto& [signature, w] : wholes)
      if (w.split)
        for (const auto& p : w.parts)
          if (!standalone.count(p)) usersOf[p].push_back(signature);
    for (const auto& [part, users] : usersOf) {
      // (Frames with secondaries keep their parts: the i32 one goes with them.)
      if (std::any_of(users.begin(), users.end(),
                      [&](const auto& u) { return splitWholes.count(u) > 0; }))
        continue;
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
  // f64 parts through i64 part helpers of their size, where the module has those anyway: a byte
  // per value each way (`i64.reinterpret_f64`, `f64.reinterpret_i64`) against a pair of helpers.
  std::map<ValType::Kind, std::map<size_t, size_t>> partFrames;  // save calls by kind and size
  const auto countParts = [&] {
    partFrames.clear();
    for (const auto& calls : plan.calls)
      for (const auto& use : calls)
        if (use && use->part && use->kind == HelperUse::Save)
          partFrames[use->signature.kinds.front()][use->signature.kinds.size()]++;
  };
  countParts();
  std::set<size_t> f64ViaI64;
  HelperPairCosts f64Pair(costing, ValType::F64, true);
  for (const auto& [n, count] : partFrames[ValType::F64])
    if (partFrames[ValType::I64].count(n) && f64Pair(n, std::nullopt) > 2 * n * count)
      f64ViaI64.insert(n);
  plan.reinterpretedParts.resize(results.size());
  for (size_t f = 0; f < results.size(); f++)
    for (uint32_t slot = 0; slot < plan.calls[f].size(); slot++) {
      auto& use = plan.calls[f][slot];
      if (!use || !use->part || use->signature.kinds.front() != ValType::F64 ||
          !f64ViaI64.count(use->signature.kinds.size()))
        continue;
      use->signature.kinds.assign(use->signature.kinds.size(), ValType::I64);
      plan.reinterpretedParts[f].insert(slot);
    }
  // The parts that remain, by kind and size.
  countParts();
  std::map<ValType::Kind, std::map<size_t, std::vector<size_t>>> partRuns;
  for (const auto& [kind, sizes] : partFrames)
    partRuns[kind] = choosePartRuns(kind, sizes, costing, helperCallBytes);
  plan.partRuns.resize(results.size());
  for (size_t f = 0; f < results.size(); f++)
    for (uint32_t slot = 0; slot < plan.calls[f].size(); slot++) {
      auto& use = plan.calls[f][slot];
      if (!use || !use->part) continue;
      const ValType::Kind kind = use->signature.kinds.front();
      const auto& runs = partRuns.at(kind).at(use->signature.kinds.size());
      if (runs.size() < 2) continue;
      auto& below = plan.partRuns[f][slot];
      for (size_t k = 0; k + 1 < runs.size(); k++)
        below.push_back({std::vector<ValType::Kind>(runs[k], kind)});
      use->signature.kinds.resize(runs.back());
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
