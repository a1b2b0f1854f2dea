#include "frame_call_fit.h"

#include <algorithm>
#include <map>

#include "asyncify/binary/error.h"
#include "code_emitter.h"

namespace asyncify {

namespace {

Instr callOf(uint32_t function) {
  Instr call = CodeEmitter::make(Op::Call);
  call.a = function;
  return call;
}

std::vector<Instr> repeated(Op op, uint32_t times) {
  Instr one = CodeEmitter::make(op);
  one.value = 0;
  return std::vector<Instr>(times, one);
}

[[noreturn]] void unexpected(const Instr& call) {
  throw Error("internal error: unexpected code around a frame helper call", call.offset);
}

// Where each of the `values` pushed right before the save call at `at` starts: a `local.get`,
// a `local.get` and the call that parks a reference, or a constant (a parked copy's stand-in).
// One more entry: the call.
std::vector<size_t> pushStarts(const std::vector<Instr>& code, size_t at, size_t values) {
  std::vector<size_t> start(values + 1, at);
  size_t j = at;
  for (size_t v = values; v-- > 0;) {
    if (j == 0) unexpected(code[at]);
    j--;
    if (code[j].op == Op::Call) {
      if (j == 0 || code[j - 1].op != Op::LocalGet) unexpected(code[at]);
      j--;
    } else if (code[j].op != Op::LocalGet && code[j].op != Op::I32Const) {
      unexpected(code[at]);
    }
    start[v] = j;
  }
  return start;
}

// [begin, end) of each value's restore after `from`, the top value (the last) first: unparking
// (a call, `ref.as_non_null`), copies (`local.tee`), then a `local.set` or `drop`.
std::vector<std::pair<size_t, size_t>> restoreSpans(const std::vector<Instr>& code, size_t from,
                                                    size_t values, const Instr& call) {
  std::vector<std::pair<size_t, size_t>> span(values);
  size_t j = from;
  for (size_t v = values; v-- > 0;) {
    const size_t begin = j;
    while (j < code.size() &&
           (code[j].op == Op::Call || code[j].op == Op::RefAsNonNull || code[j].op == Op::LocalTee))
      j++;
    if (j >= code.size() || (code[j].op != Op::LocalSet && code[j].op != Op::Drop))
      unexpected(call);
    span[v] = {begin, ++j};
  }
  return span;
}

struct Edits {
  std::vector<std::pair<size_t, std::vector<Instr>>> insertions;         // before instruction
  std::map<size_t, std::pair<size_t, std::vector<Instr>>> replacements;  // [begin, end) -> code
};

// A part's edits: a call after each run's last push, or before the restore of the run's top
// value; reinterpretations around each f64 value.
void addPartEdits(const std::vector<Instr>& code, const PartCall& p, Edits& edits) {
  size_t below = 0;  // the values below the call's own
  for (const auto& run : p.runs) below += run.first;
  if (below >= p.values) unexpected(code[p.at]);
  if (p.save) {
    // Each value a `local.get`.
    if (p.at < p.values) unexpected(code[p.at]);
    for (size_t j = p.at - p.values; j < p.at; j++) {
      if (code[j].op != Op::LocalGet) unexpected(code[p.at]);
      if (p.f64AsI64)
        edits.insertions.push_back({j + 1, {CodeEmitter::make(Op::I64ReinterpretF64)}});
    }
    size_t next = p.at - p.values;
    for (const auto& [values, helper] : p.runs) {
      next += values;
      edits.insertions.push_back({next, {callOf(helper)}});
    }
    return;
  }
  const auto span = restoreSpans(code, p.at + 1, p.values, code[p.at]);
  for (size_t k = p.runs.size(); k-- > 0;) {
    edits.insertions.push_back({span[below - 1].first, {callOf(p.runs[k].second)}});
    below -= p.runs[k].first;
  }
  if (p.f64AsI64)  // (after a run's call; a padding slot is dropped as it is)
    for (const auto& [begin, end] : span)
      if (end - begin > 1 || code[begin].op != Op::Drop)
        edits.insertions.push_back({begin, {CodeEmitter::make(Op::F64ReinterpretI64)}});
}

// The i32 group calls' edits: secondaries' calls between the pushes, padding, and each
// secondary's run restored after the rest, its first value ahead of the others.
void addI32Edits(const std::vector<Instr>& code, const std::vector<I32GroupCall>& calls,
                 uint32_t padding, const std::vector<SecondaryHelper>& secondaries,
                 const std::function<uint32_t()>& newLocal, Edits& edits) {
  size_t secondaryValues = 0;
  for (const auto& s : secondaries) secondaryValues += s.size + 1;
  for (const I32GroupCall& c : calls) {
    if (secondaryValues > c.values) unexpected(code[c.at]);
    if (c.save) {
      if (secondaryValues > 0) {
        const std::vector<size_t> start = pushStarts(code, c.at, c.values);
        size_t next = 0;  // the first value of the next run
        for (const auto& s : secondaries) {
          next += s.size + 1;
          edits.insertions.push_back({start[next], {callOf(s.save)}});
        }
      }
      if (padding > 0) edits.insertions.push_back({c.at, repeated(Op::I32Const, padding)});
      continue;
    }
    // The padding sits right below the id: dropped once the id is taken (by a `local.set`,
    // `global.set` or `drop` right after the call and any `local.tee`), else with the id held
    // in a local meanwhile.
    size_t taker = c.at + 1;
    while (taker < code.size() && code[taker].op == Op::LocalTee) taker++;
    const Op op = taker < code.size() ? code[taker].op : Op::End;
    const bool taken = op == Op::LocalSet || op == Op::GlobalSet || op == Op::Drop;
    if (padding > 0 && taken) {
      edits.insertions.push_back({taker + 1, repeated(Op::Drop, padding)});
    } else if (padding > 0) {
      Instr held = CodeEmitter::make(Op::LocalSet);
      held.a = newLocal();
      std::vector<Instr> fill{held};
      const auto drops = repeated(Op::Drop, padding);
      fill.insert(fill.end(), drops.begin(), drops.end());
      held.op = Op::LocalGet;
      fill.push_back(held);
      edits.insertions.push_back({c.at + 1, std::move(fill)});
    }
    if (secondaryValues == 0) continue;
    if (!taken) unexpected(code[c.at]);
    const auto span = restoreSpans(code, taker + 1, c.values, code[c.at]);
    std::vector<Instr> runs;  // from the top of the frame down
    auto copy = [&](size_t v) {
      runs.insert(runs.end(), code.begin() + static_cast<std::ptrdiff_t>(span[v].first),
                  code.begin() + static_cast<std::ptrdiff_t>(span[v].second));
    };
    size_t top = secondaryValues;
    for (size_t k = secondaries.size(); k-- > 0;) {
      const size_t first = top - secondaries[k].size - 1;
      runs.push_back(callOf(secondaries[k].restore));
      copy(first);  // it comes back in the id's slot, on top
      for (size_t v = top; v-- > first + 1;) copy(v);
      top = first;
    }
    edits.replacements.emplace(span[secondaryValues - 1].first,
                               std::pair{span[0].second, std::move(runs)});
  }
}

}  // namespace

std::vector<Instr> fitFrameCalls(const std::vector<Instr>& code,
                                 const std::vector<I32GroupCall>& calls, uint32_t padding,
                                 const std::vector<SecondaryHelper>& secondaries,
                                 const std::vector<PartCall>& parts,
                                 const std::function<uint32_t()>& newLocal,
                                 const std::function<bool(const Instr&)>& removed) {
  Edits edits;
  for (const PartCall& p : parts) addPartEdits(code, p, edits);
  addI32Edits(code, calls, padding, secondaries, newLocal, edits);
  std::stable_sort(edits.insertions.begin(), edits.insertions.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Instr> out;
  out.reserve(code.size() + calls.size() * (padding + 2 * secondaries.size() + 2));
  auto insertion = edits.insertions.begin();
  for (size_t i = 0;;) {
    for (; insertion != edits.insertions.end() && insertion->first == i; ++insertion)
      out.insert(out.end(), insertion->second.begin(), insertion->second.end());
    if (i == code.size()) break;
    if (auto r = edits.replacements.find(i); r != edits.replacements.end()) {
      out.insert(out.end(), r->second.second.begin(), r->second.second.end());
      i = r->second.first;
      continue;
    }
    if (!removed(code[i])) out.push_back(code[i]);
    i++;
  }
  // (An insertion inside a replaced span would be lost.)
  if (insertion != edits.insertions.end())
    unexpected(code[std::min(insertion->first, code.size() - 1)]);
  return out;
}

}  // namespace asyncify
