// Instrumenting one function for unwinding and rewinding, without flattening it.
//
// The body keeps its structure. Only three things are added:
//  1. After each pausable call: `i32.const id; global.get $state; br_if $unwind; drop` — the
//     whole normal-path cost of a call site. `$unwind` is a block around the body whose end is
//     followed by cold code that saves the frame of call site `id` and returns zero values.
//     (Nothing at all when a function without frame makes that call last: see dropTailCheck.)
//  2. A rewind prologue: when the state is "rewinding", pop this function's frame (through
//     shared helpers: multi-value where the module allows it, one call per kind of value or
//     one for the frame, else through scratch globals; inline for small frames of recursive
//     functions), remember the site id in `$resume`, and jump to it.
//  3. The jump: structured code cannot branch into a block, so each sequence on the path to a
//     call site gets "skip blocks": `block $skip_j` opens at the start of the sequence and ends
//     right where target j (a call site or a nested construct containing one) begins. A dispatch
//     at the start of the sequence, taken only while rewinding, branches to the right skip
//     block's end, so rewinding reaches the site directly without re-running earlier code. The
//     first target needs no skip block: the code before it is the else-arm of the dispatch's
//     `if` (or there is none, and the dispatch falls through to it; outside loops such a
//     dispatch needs no state test, the resume id being zero or an earlier site's on the
//     normal path; in loops a short chain of tests reads the id from the rewinding flag, which
//     the prologue also sets and the ABI functions clear). An `if` on the path
//     computes its condition again when that is arithmetic on locals that keep their values
//     until the if ends; otherwise it takes its condition from a local that the dispatch sets
//     to pick the arm holding the site (unless one arm holds them all). A legacy `try` whose
//     handler holds the site is re-entered by throwing the caught tag again from the start of
//     its body. The function-level dispatch sits inside the prologue; a lone plain block opens
//     before its prefix so its sequence needs no test; at the top of a loop body, statements
//     that only compute locals run ahead of the test; small loops get a separate rewind copy
//     of their body, so the loop itself has no test (a copy that opens the function sits in the
//     prologue). Tests handed down through nested blocks (a C switch) join the innermost
//     dispatch, as one br_table when that is smaller, passing through blocks that hold a
//     single target. A call that never returns normally
//     (followed by `unreachable`: a panic) needs no way in at all: the prologue calls its
//     callee again (see planRecalls).
// Operand-stack values below a target are spilled to locals just before it and reloaded just
// after its skip block ends (only at call sites and at constructs on a path), so that frames can
// be saved from locals; local reads, constants and pure integer expressions of them move after
// the skip block's end instead, and so do a site's own loads from exactly rebuilt addresses,
// whose saved value a rewind picks with `select` (see Remat). Arguments of a call to an
// instrumented function are recomputed on rewind when they come from side-effect-free code (the
// callee ignores them while rewinding, except parameters it never writes, which it gets back from
// its caller: rebuilt_arguments.h); otherwise they are spilled too. Arguments of calls that may
// reach imports are saved, since the import is called again with them. References are saved as
// slots of private tables (ref_parking.h); tail calls between instrumented functions stay tail
// calls (tail_calls.h). Liveness is computed per call site; the frame is their union (one layout
// per function). Frame layout: saved values (16-, 8-, then 4-byte ones), then the site id in the
// last 4 bytes.
#include "function_instrumenter.h"

#include <algorithm>

#include "asyncify/analysis/liveness.h"
#include "catch_all_split.h"
#include "instruction_properties.h"
#include "instrumenter.h"
#include "rebuilt_arguments.h"

namespace asyncify::instrumenting {

bool Instrumenter::callMayPause(const Instr& ins) const {
  switch (ins.op) {
    case Op::Call:
    case Op::ReturnCall:
      return pause_.callPauses(ins.a);
    default:
      return pause_.indirectPauses(graph_.canonicalType[ins.a], self_);
  }
}

const std::vector<bool>& Instrumenter::paramsGivenBack(uint32_t function) const {
  static const std::vector<bool> none;
  return target_.paramsGivenBack ? (*target_.paramsGivenBack)[function] : none;
}

uint32_t Instrumenter::argCountOf(const Instr& ins) const {
  if (ins.op == Op::Call || ins.op == Op::ReturnCall)
    return static_cast<uint32_t>(m_.functionType(ins.a).params.size());
  return static_cast<uint32_t>(m_.funcType(ins.a).params.size()) + 1;  // + table index / ref
}

void Instrumenter::findSites() {
  const size_t n = code_.size();
  siteAt_.assign(n, kNone);
  landingAt_.assign(n, kNone);
  std::vector<uint32_t> candidates;
  for (size_t i = 0; i < n; i++) {
    const Instr& ins = code_[i];
    if (!isCallOp(ins.op) || !callMayPause(ins)) continue;
    if (isReturnCall(ins.op) && target_.tails->keeps(ins)) continue;  // leaves no frame here
    candidates.push_back(static_cast<uint32_t>(i));
  }

  stacks_ = std::make_unique<StackRecorder>(n);
  stacks_->typeBudget = kMaxRecordedStackValues + kMaxRecordedStackValuesPerInstr * n;
  for (uint32_t i : candidates) {
    stacks_->wantTypes[i] = 1;
    for (uint32_t c = cs_.parent[i]; c != CS::kFunction; c = cs_.parent[c]) {
      if (stacks_->wantTypes[c]) break;
      stacks_->wantTypes[c] = 1;
    }
  }
  validateCode(m_, type_, std::span<const ValType>(localTypes_).subspan(type_.params.size()), code_,
               pools_, stacks_.get());
  if (stacks_->overBudgetAt != kNone)
    unsupported(fmt::format("its pausable calls sit on too deep an operand stack: more than {} "
                            "values below them and the blocks around them in all, which would "
                            "take work and output that grow with their product",
                            stacks_->typeBudget),
                code_[stacks_->overBudgetAt].offset);

  // A call in dead code, or inside a construct entered only from dead code, never runs. Whether
  // a construct is entered only from dead code is known before its inner code (parents first).
  std::vector<uint8_t> deadInside(n, 0);
  for (size_t i = 0; i < n; i++) {
    const uint32_t p = cs_.parent[i];
    if (isConstructStart(code_[i].op))
      deadInside[i] = stacks_->unreachable[i] || (p != CS::kFunction && deadInside[p]);
  }
  for (uint32_t i : candidates) {
    const uint32_t p = cs_.parent[i];
    if (stacks_->unreachable[i] || (p != CS::kFunction && deadInside[p])) continue;
    Site s;
    s.index = i;
    s.argCount = argCountOf(code_[i]);
    siteAt_[i] = static_cast<uint32_t>(sites_.size());
    sites_.push_back(s);
  }
}

uint32_t Instrumenter::armOf(uint32_t parent, uint32_t index) const {
  if (parent == CS::kFunction) return 0;
  if (code_[parent].op == Op::If)
    return cs_.elseOf[parent] != kNone && index > cs_.elseOf[parent] ? 1 : 0;
  if (code_[parent].op != Op::Try) return 0;
  const auto& catches = cs_.catchesOf[parent];
  uint32_t arm = 0;
  while (arm < catches.size() && index > catches[arm]) arm++;
  return arm;
}

// Walks back from instruction `at` over side-effect-free code (see recomputable) in the same
// construct that leaves the `need` values below it alone, as long as `accept` takes each
// instruction. Returns where that code starts if it leaves exactly `need` values there.
std::optional<uint32_t> Instrumenter::recomputableStart(
    uint32_t at, uint32_t need,
    const std::function<bool(uint32_t, const Recomputable&)>& accept) const {
  uint32_t j = at;
  while (stacks_->height[j] > need) {
    if (j == 0) return std::nullopt;
    j--;
    const auto r = recomputable(code_[j].op);
    if (!r || cs_.parent[j] != cs_.parent[at] || stacks_->unreachable[j] ||
        stacks_->height[j] < need + r->operands || !accept(j, *r))
      return std::nullopt;
  }
  if (stacks_->height[j] != need) return std::nullopt;
  return j;
}

// Whether the code in [from, to), recomputable instruction by instruction, may run again on
// rewind, and which locals it then needs as they were (the rest feed only arguments that the
// rewinding callee ignores, so they may hold anything). Values are exact (the same as the first
// time) or not: a local read is exact unless the range writes the local after the read, a
// global read only if the global is immutable, a load never (memory may have changed). A load
// needs an exact address (memory never shrinks, so it cannot trap then) and a `local.tee` an
// exact value (the local may be read after the call); the locals those read are needed, and so
// are non-null references (their reads are checked). So are arguments the callee does not
// ignore (`ignored` per value the range leaves).
std::optional<std::vector<uint32_t>> Instrumenter::rebuildsSafely(
    uint32_t from, uint32_t to, const std::vector<bool>& ignored,
    std::vector<std::optional<std::vector<uint32_t>>>* exactValues) const {
  struct Value {
    bool exact = true;
    std::vector<uint32_t> reads;
  };
  std::vector<Value> stack;
  std::vector<uint32_t> needed;
  for (uint32_t j = from; j < to; j++) {
    const Instr& ins = code_[j];
    const auto r = recomputable(ins.op);
    if (!r) return std::nullopt;
    Value v;
    for (unsigned k = 0; k < r->operands; k++) {
      v.exact = v.exact && stack.back().exact;
      v.reads.insert(v.reads.end(), stack.back().reads.begin(), stack.back().reads.end());
      stack.pop_back();
    }
    if (r->load || r->writesLocal) {
      if (!v.exact) return std::nullopt;
      needed.insert(needed.end(), v.reads.begin(), v.reads.end());
      v.reads.clear();
    }
    switch (ins.op) {
      case Op::Nop:
        continue;
      case Op::LocalGet: {
        v.exact = !writtenIn(ins.a, j, to - 1);
        v.reads.push_back(ins.a);
        if (relaxed_.count(ins.a)) needed.push_back(ins.a);
        break;
      }
      case Op::GlobalGet:
        v.exact = steadyGlobal(ins.a);
        break;
      default:
        v.exact = v.exact && !r->load;
    }
    stack.push_back(std::move(v));
  }
  if (exactValues)
    for (auto& v : stack) exactValues->push_back(v.exact ? std::optional(v.reads) : std::nullopt);
  for (size_t k = 0; k < stack.size() && k < ignored.size(); k++) {
    if (ignored[k]) continue;
    if (!stack[k].exact) return std::nullopt;
    needed.insert(needed.end(), stack[k].reads.begin(), stack[k].reads.end());
  }
  return needed;
}

// A call followed by `unreachable` never returns normally: after it, only an unwind goes on.
// So a rewind need not find its way to it through the body: the prologue calls the callee
// again (the caller's locals are restored by then, and nothing after the call reads them) and
// unwinds with the same id if it pauses again, else traps as the original would. Arguments
// must not matter: the callee is instrumented and restores its parameters itself (none given
// back), or takes none. Not inside a try, whose handlers must see the callee's exceptions.
// Rust's panics and C's assertion failures are such calls, and in some modules most calls
// that may pause are.
void Instrumenter::planRecalls() {
  if (sites_.size() < 2 || target_.tails->tag[self_] != 0 ||
      !target_.tails->handOver[self_].empty())
    return;
  std::set<uint32_t> callees;
  for (auto& s : sites_) {
    const Instr& call = code_[s.index];
    if (call.op != Op::Call || !followedByUnreachable(s.index)) continue;
    const FuncType& type = m_.functionType(call.a);
    if (!zeroCallable(type)) continue;  // the recall passes zeros
    if (pause_.instrumented(call.a)) {
      if (anyParamGivenBack(paramsGivenBack(call.a))) continue;
    } else if (!type.params.empty()) {
      continue;
    }
    if (cs_.tryOf[s.index] != CS::kNone) continue;
    s.recalled = true;
    callees.insert(call.a);
  }
  recalls_.assign(callees.begin(), callees.end());
}

// A branch instead of a state test saves 3 bytes per call that never returns normally (the
// state read and the `unreachable`), and the handler's test costs 7: worth it from three on.
void Instrumenter::planUnwindBranches() {
  constexpr size_t kBytesSaved = 3, kTestBytes = 7;
  size_t branches = recalls_.size();
  for (const Site& s : sites_) branches += comesBackOnlyToUnwind(s.index);
  unwindsByBranch_ = branches * kBytesSaved > kTestBytes;
}

void Instrumenter::planSites() {
  // Functions in tail calls tag their ids so that a rewind can tell whose frame is on top.
  const uint32_t tag = target_.tails->tag[self_];
  if (tag && sites_.size() >= (1u << TailCallPlan::kTagShift))
    unsupported("too many pausable calls in a function that takes part in tail calls", 0);
  planRecalls();
  planUnwindBranches();
  // Recalled sites share one id per callee, from 0 (tested with i32.eqz); the others follow in
  // code order from 1 or after those: the dispatch finds them by ranges of consecutive ids.
  // Where loops hold other sites, recall ids start at 1, so that the private rewinding flag can
  // carry any resume id in the loops' dispatches (zero there means not rewinding, which a
  // recalled callee must not see): a byte more in the prologue against a state test per turn.
  const bool loopSites = std::any_of(sites_.begin(), sites_.end(), [&](const Site& s) {
    return !s.recalled && loopAround(cs_.parent[s.index]) != CS::kNone;
  });
  recallIdBase_ = target_.rewindingGlobal && !recalls_.empty() && loopSites ? 1 : 0;
  for (auto& s : sites_)
    if (s.recalled)
      s.id = recallIdBase_ +
             static_cast<uint32_t>(std::find(recalls_.begin(), recalls_.end(), code_[s.index].a) -
                                   recalls_.begin());
  firstNavigatedId_ = (tag << TailCallPlan::kTagShift) +
                      std::max<uint32_t>(recallIdBase_ + static_cast<uint32_t>(recalls_.size()), 1);
  uint32_t nextId = firstNavigatedId_;
  for (size_t k = 0; k < sites_.size(); k++) {
    if (sites_[k].recalled) continue;
    sites_[k].id = nextId++;
    navigatedSite_.push_back(k);
  }
  // A state check pushes its site's id as a signed LEB128 constant: one byte for 0..63, two
  // from 64. Pushing id - 64 (-64..63 in one byte) and adding 64 back once in the handler (3
  // bytes) pays where more than three ids fall in 64..127. Not with tags (tail calls).
  constexpr uint32_t kBias = 64;
  const auto biasedIds = std::count_if(sites_.begin(), sites_.end(), [&](const Site& s) {
    return !s.recalled && s.id >= kBias && s.id < 2 * kBias;
  });
  if (tag == 0 && biasedIds > 3) checkIdBias_ = kBias;
  // Past 127, each further run of 128 ids can get an unwind block of its own, inside the
  // others: its checks push one-byte constants again, and its end adds 128 on the way out
  // (7 bytes: block, end, i32.const 128, i32.add). As many levels as save the most.
  if (checkIdBias_) {
    std::vector<size_t> perLevel;
    for (const Site& s : sites_) {
      const size_t level = s.id / kIdsPerUnwindLevel;
      if (level >= perLevel.size()) perLevel.resize(level + 1, 0);
      perLevel[level]++;
    }
    constexpr size_t kLevelBytes = 7;
    ptrdiff_t saved = 0, best = 0;
    for (size_t level = 1; level < perLevel.size(); level++) {
      saved += static_cast<ptrdiff_t>(perLevel[level]) - static_cast<ptrdiff_t>(kLevelBytes);
      if (saved > best) {
        best = saved;
        unwindLevels_ = static_cast<uint32_t>(level);
      }
    }
  }
  for (auto& s : sites_) {
    const Instr& call = code_[s.index];
    // Calls that may reach an import (or foreign code) are re-made with the same arguments.
    const bool direct = call.op == Op::Call || call.op == Op::ReturnCall;
    const bool internal = direct && pause_.instrumented(call.a);
    // An indirect call whose every possible pausing callee is instrumented and restores all its
    // parameters (indirectArgumentsIgnored) needs only its table index or reference exact.
    const bool internalIndirect = !direct && target_.indirectArgsIgnored &&
                                  (*target_.indirectArgsIgnored)[graph_.canonicalType[call.a]];
    s.landing = s.index;
    s.spillArgs = true;
    if (internal || internalIndirect) {
      // An instrumented callee restores its parameters, except those it gets back from us.
      s.callee = internal ? call.a : kNone;
      s.argIgnored.assign(s.argCount, true);
      if (internal) {
        const auto& back = paramsGivenBack(call.a);
        for (size_t k = 0; k < back.size(); k++) s.argIgnored[k] = !back[k];
      } else {
        s.argIgnored.back() = false;  // picks the callee
      }
      // A non-nullable reference has no stand-in to pass while rewinding: it comes back exactly.
      const auto& types = stacks_->types.at(s.index);
      const size_t argsFrom = types.size() - s.argCount;
      for (uint32_t k = 0; k < s.argCount; k++)
        if (needsNonNull(types[argsFrom + k])) s.argIgnored[k] = false;
      if (s.recalled) continue;
      auto start = recomputableStart(s.index, stacks_->height[s.index] - s.argCount,
                                     [](uint32_t, const Recomputable&) { return true; });
      if (start) {
        if (auto needed = rebuildsSafely(*start, s.index, s.argIgnored, &s.argSources)) {
          s.landing = *start;
          s.spillArgs = false;
          forcedSaved_.insert(needed->begin(), needed->end());
        }
      }
    }
    if (s.recalled) continue;  // never reached while rewinding
    landingAt_[s.landing] = static_cast<uint32_t>(&s - sites_.data());
    if (cs_.parent[s.index] != CS::kFunction)
      includeInPath(cs_.parent[s.index], s.index, s.id, s.id);
  }
  // The constructs on the paths to the sites, with the ids inside each: every construct hands
  // its ids to its parent, innermost first (a construct starts after its parent, and the map
  // keeps its iterators while parents are added), so deep nesting costs no more than its size.
  for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
    const uint32_t c = it->first, parent = cs_.parent[c];
    if (parent != CS::kFunction) includeInPath(parent, c, it->second.lo, it->second.hi);
  }
  // Sequences and their targets, in code order.
  std::vector<Target> all;
  for (auto& [c, pc] : path_) {
    if (pc.hiThen == 0) pc.hiThen = pc.lo - 1;
    all.push_back({false, c});
  }
  for (auto& s : sites_)
    if (!s.recalled) all.push_back({true, s.index});
  std::sort(all.begin(), all.end(),
            [](const Target& a, const Target& b) { return a.index < b.index; });
  for (const auto& t : all) {
    uint32_t parent = cs_.parent[t.index];
    sequences_[{parent, armOf(parent, t.index)}].push_back(t);
  }
}

void Instrumenter::includeInPath(uint32_t c, uint32_t child, uint32_t lo, uint32_t hi) {
  const Instr& ins = code_[c];
  auto& pc = path_[c];
  if (ins.op == Op::Try) {
    pc.armIds.resize(cs_.catchesOf[c].size() + 1, {kNone, 0});
    pc.payloadLocals.resize(pc.armIds.size());
    auto& [armLo, armHi] = pc.armIds[armOf(c, child)];
    armLo = std::min(armLo, lo);
    armHi = std::max(armHi, hi);
  }
  pc.lo = std::min(pc.lo, lo);
  pc.hi = std::max(pc.hi, hi);
  bool inThen = ins.op == Op::If && (cs_.elseOf[c] == kNone || child < cs_.elseOf[c]);
  if (inThen) pc.hiThen = std::max(pc.hiThen, hi);
}

uint32_t Instrumenter::tempPoolKey(ValType t) {
  if (!t.isRef()) return 0;
  t = storageType(t);
  auto it = std::find(tempRefTypes_.begin(), tempRefTypes_.end(), t);
  if (it == tempRefTypes_.end()) it = tempRefTypes_.insert(it, t);
  return static_cast<uint32_t>(it - tempRefTypes_.begin()) + 1;
}

uint32_t Instrumenter::takeTemp(ValType t) {
  auto& pool = freeTemps_[{static_cast<uint8_t>(t.kind), tempPoolKey(t)}];
  if (!pool.empty()) {
    uint32_t l = pool.back();
    pool.pop_back();
    return l;
  }
  return addLocal(t);
}

// A landing emitted twice (in both copies of a loop) must spill into the same locals: frames
// saved by one copy are restored into the other. The second emission takes the same temps
// again; they are free then, since each copy releases what it takes before it ends.
uint32_t Instrumenter::landingTemp(uint32_t target, size_t position, ValType t) {
  auto& taken = landingTemps_[target];
  if (!normalOnly_ || position >= taken.size()) {
    const uint32_t l = takeTemp(t);
    if (position >= taken.size()) taken.resize(position + 1, kNone);
    taken[position] = l;
    return l;
  }
  const uint32_t l = taken[position];
  auto& pool = freeTemps_[{static_cast<uint8_t>(t.kind), tempPoolKey(t)}];
  auto it = std::find(pool.begin(), pool.end(), l);
  if (it == pool.end()) throw Error("internal error: a loop copy's spill local is in use");
  pool.erase(it);
  return l;
}

void Instrumenter::releaseTemps(const std::vector<uint32_t>& temps) {
  for (uint32_t l : temps)
    freeTemps_[{static_cast<uint8_t>(localTypes_[l].kind), tempPoolKey(localTypes_[l])}].push_back(
        l);
}

// An if on a rewind path whose condition is arithmetic on locals that keep their values until
// the if ends (no loads, no globals: memory and globals may change while paused; no trap
// whatever the locals hold): on rewind the condition is computed again from the restored
// locals and picks the same arm. The if then needs no arm selector, its landing moves to where
// the condition starts (often the start of its sequence, which then needs no skip block), and
// the locals it reads join the frame. A lone `local.get` is left to rematerialization.
void Instrumenter::planRecomputedConditions() {
  for (auto& entry : path_) {
    const uint32_t c = entry.first;  // (not a structured binding: the lambdas below capture it)
    PathConstruct& pc = entry.second;
    const Instr& ins = code_[c];
    if (ins.op != Op::If || ins.block.kind == BlockType::Index || stacks_->unreachable[c]) continue;
    std::vector<uint32_t> reads;
    auto start =
        recomputableStart(c, stacks_->height[c] - 1, [&](uint32_t j, const Recomputable& r) {
          const Op op = code_[j].op;
          if (r.load || r.writesLocal || op == Op::GlobalGet || op == Op::RefNull ||
              op == Op::RefFunc)
            return false;
          if (op != Op::LocalGet) return true;
          const ValType t = localTypes_[code_[j].a];
          reads.push_back(code_[j].a);
          return t.kind == ValType::I32 || t.kind == ValType::I64;
        });
    if (!start) continue;
    const uint32_t j = *start;
    if (c - j == 1 && code_[j].op == Op::LocalGet) continue;
    // The locals must hold at each site what they held at the condition: no write before the
    // if's last site, nor after it inside a loop (in the if) that holds a site. Sites are in
    // code order with consecutive ids.
    const uint32_t lastSite = sites_[navigatedSite_[pc.hi - firstNavigatedId_]].index;
    auto harmless = [&](uint32_t write) {
      if (write < lastSite) return false;
      for (auto inner = path_.upper_bound(c); inner != path_.end() && inner->first < write; ++inner)
        if (code_[inner->first].op == Op::Loop && write < cs_.endOf[inner->first]) return false;
      return true;
    };
    bool ok = true;
    for (uint32_t l : reads) {
      const auto& w = writesOf_[l];
      for (auto it = std::upper_bound(w.begin(), w.end(), c); it != w.end() && *it < cs_.endOf[c];
           ++it)
        ok = ok && harmless(*it);
    }
    if (!ok) continue;
    pc.condRecomputed = true;
    pc.conditionStart = j;
    std::sort(reads.begin(), reads.end());
    reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
    pc.conditionReads = reads;
    forcedSaved_.insert(reads.begin(), reads.end());
    conditionAt_[j] = c;
  }
}

// Where the pure expression whose last instruction is `last` starts, if it is one that may be
// moved down to a landing: integer arithmetic that cannot trap (and, with `loads`, loads) on
// constants, steady globals and locals not written again before `end` (its reads go into
// `reads`), in one construct, at most a few instructions long.
std::optional<uint32_t> Instrumenter::pureExpressionStart(uint32_t last, uint32_t end,
                                                          std::vector<uint32_t>& reads,
                                                          bool loads) const {
  constexpr uint32_t kMaxLength = 12;
  uint32_t need = 1;  // values still to find, walking back
  for (uint32_t j = last + 1; j-- > 0 && last - j < kMaxLength;) {
    const Instr& ins = code_[j];
    if (cs_.parent[j] != cs_.parent[last] || stacks_->unreachable[j] || rematerialized(j))
      return std::nullopt;
    const auto r = recomputable(ins.op);
    if (!r || (r->load && !loads) || r->writesLocal || ins.op == Op::RefNull ||
        ins.op == Op::RefFunc || ins.op == Op::Nop)
      return std::nullopt;
    if (ins.op == Op::GlobalGet && !steadyGlobal(ins.a)) return std::nullopt;
    if (ins.op == Op::LocalGet) {
      if (writtenIn(ins.a, j, end) || localTypes_[ins.a].isRef()) return std::nullopt;
      reads.push_back(ins.a);
    }
    need = need - 1 + r->operands;
    if (need == 0) {
      std::sort(reads.begin(), reads.end());
      reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
      return j;
    }
  }
  return std::nullopt;
}

// Where the expression whose last instruction is `last` starts, if it loads from memory and may
// still move down to its target's `landing` (a call site's, or an if's): nothing but
// rematerialized code (no stores, no calls) between it and the landing, and every load's
// address built without loads (see pureExpressionStart), from locals that keep their values
// until `end`. Run again at the landing while rewinding, the same loads read the same
// addresses, which did not trap the first time (memory never shrinks).
std::optional<uint32_t> Instrumenter::loadingExpressionStart(uint32_t last, uint32_t landing,
                                                             uint32_t end,
                                                             std::vector<uint32_t>& reads) const {
  for (uint32_t j = last + 1; j < landing; j++)
    if (!rematerialized(j)) return std::nullopt;
  const auto start = pureExpressionStart(last, end, reads, true);
  if (!start) return std::nullopt;
  // Loads whose addresses come from other loads could read elsewhere on rewind.
  std::vector<bool> loaded;  // per value on the expression's stack: a load made it
  bool anyLoad = false;
  for (uint32_t j = *start; j <= last; j++) {
    const auto r = recomputable(code_[j].op);
    bool fromLoad = false;
    for (unsigned k = 0; k < r->operands; k++) {
      fromLoad = fromLoad || loaded.back();
      loaded.pop_back();
    }
    if (r->load && fromLoad) return std::nullopt;
    anyLoad = anyLoad || r->load;
    loaded.push_back(fromLoad || r->load);
  }
  return anyLoad ? start : std::nullopt;
}

bool Instrumenter::writtenIn(uint32_t local, uint32_t from, uint32_t to) const {
  const auto& w = writesOf_[local];
  auto it = std::upper_bound(w.begin(), w.end(), from);
  return it != w.end() && *it <= to;
}

void Instrumenter::planRematerialization() {
  std::vector<Target> targets;
  for (const auto& [c, pc] : path_) targets.push_back({false, c});
  for (const auto& site : sites_)
    if (!site.recalled) targets.push_back({true, site.index});
  std::sort(targets.begin(), targets.end(),
            [](const Target& a, const Target& b) { return a.index < b.index; });
  for (const auto& t : targets) {
    const uint32_t at = landingOf(t);
    const uint32_t base = stacks_->frameBase[t.index];
    const uint32_t end = endOf(t);
    uint32_t low = stacks_->height[at];  // slots below this are untouched after the scan point
    // (A bounded walk: values further back are simply spilled.)
    for (uint32_t u = at, steps = 0;
         u-- > 0 && low > base && steps++ < kMaxRematerializationScan;) {
      const Instr& ins = code_[u];
      // A construct ending here, beside the target: values below it may still be put back after
      // it, since a construct never reaches below its operands.
      if (ins.op == Op::End && cs_.parent[u] != CS::kFunction && cs_.endOf[cs_.parent[u]] == u) {
        const uint32_t c = cs_.parent[u];
        if (cs_.parent[c] != cs_.parent[t.index] || stacks_->unreachable[c]) break;
        const auto operands = (code_[c].op == Op::If ? 1 : 0) + armParams(c, 0).size();
        low = std::min<uint32_t>(low, stacks_->height[c] - static_cast<uint32_t>(operands));
        u = c;
        continue;
      }
      if (cs_.parent[u] != cs_.parent[t.index] || stacks_->unreachable[u]) break;
      auto consumed = operandsConsumed(m_, ins);
      if (!consumed) break;
      const uint32_t slot = stacks_->height[u + 1] - 1;  // where its result (if any) sits
      // (References too: a ref.func or ref.null emitted again needs no parking slot.)
      const bool constant = ins.op == Op::I32Const || ins.op == Op::I64Const ||
                            ins.op == Op::F32Const || ins.op == Op::F64Const ||
                            ins.op == Op::V128Const || ins.op == Op::RefFunc ||
                            ins.op == Op::RefNull;
      const bool local = ins.op == Op::LocalGet || ins.op == Op::LocalTee;
      if ((constant || (local && !writtenIn(ins.a, u, end))) && slot < low && slot >= base) {
        auto [it, fresh] = remat_.emplace(u, Remat{u, constant ? kNone : ins.a, t.index, u, {}});
        if (fresh || constant || !writtenIn(ins.a, it->second.lastClaimer, end)) {
          it->second.lastClaimer = t.index;
          rematSlot_[{t.index, slot}] = u;
        }
      } else if (!constant && !local && slot < low && slot >= base) {
        std::vector<uint32_t> reads;
        auto start = pureExpressionStart(u, end, reads);
        auto known = remat_.find(u);
        bool readsMemory = false;
        // (Numbers only: `select` takes no type immediate for them.)
        const bool siteOperand = t.isSite && !isReturnCall(code_[t.index].op) &&
                                 !stacks_->types.at(t.index).at(slot).isRef();
        // The condition of an if whose sites are all in its then-arm: a rewind takes that arm
        // by or-ing in the state, whatever the load reads then.
        const bool thenOnlyCondition =
            !t.isSite && code_[t.index].op == Op::If && slot + 1 == stacks_->height[t.index] &&
            !path_.at(t.index).condRecomputed && path_.at(t.index).hiThen >= path_.at(t.index).hi;
        if (!start && (siteOperand || thenOnlyCondition) && known == remat_.end()) {
          reads.clear();
          start = loadingExpressionStart(u, at, end, reads);
          readsMemory = start.has_value();
        }
        if (start && (known == remat_.end() || known->second.first == *start)) {
          auto [it, fresh] =
              remat_.emplace(u, Remat{u, kNone, t.index, *start, reads, readsMemory});
          it->second.lastClaimer = t.index;  // exact until `end`, which is past earlier ones
          rematSlot_[{t.index, slot}] = u;
          for (uint32_t j = *start; j < u; j++) rematMember_[j] = u;
        }
      }
      low = std::min<uint32_t>(low, stacks_->height[u] - *consumed);
    }
  }
  keepProfitableLoadMoves();
}

// Whether loaded values moved down to their target pay, per target: picking one with `select`
// (local.get, global.get, select, local.tee: 7 bytes) costs 3 more than spilling it at the
// landing (local.set, local.get); an argument the rewinding callee ignores saves those 4; an
// if's condition or-ed with the state (global.get, i32.or) saves 1; a local the loads read that
// the frame did not hold yet costs about 4 (saved and restored); a target left with no code
// before it to skip saves its guard (5 bytes; 1 where the code would sit in the else-arm of a
// dispatch's `if`, or of the rewind prologue's). Each target keeps all its moves, only those
// that save bytes on their own, or none.
void Instrumenter::keepProfitableLoadMoves() {
  struct Move {
    uint32_t slot, producer;
    ptrdiff_t bytes;  // added by the move itself
  };
  std::map<uint32_t, std::vector<Move>> byTarget;
  for (const auto& [key, producer] : rematSlot_) {
    if (!remat_.at(producer).readsMemory) continue;
    ptrdiff_t bytes = -1;  // an if's condition
    if (siteAt_[key.first] != kNone) {
      const Site& s = sites_[siteAt_[key.first]];
      bytes = argIgnoredAt(s, stacks_->height[s.landing], key.second) ? -4 : 3;
    }
    byTarget[key.first].push_back({key.second, producer, bytes});
  }
  std::vector<bool> framed = givenBack_;
  for (uint32_t l : liveAtSites_) framed[l] = true;
  for (uint32_t l : forcedSaved_) framed[l] = true;
  // What a set of moves adds, and the locals its loads read that the frame does not hold yet.
  auto cost = [&](const std::vector<Move>& moves, bool all, std::set<uint32_t>& added) {
    ptrdiff_t bytes = 0;
    for (const Move& m : moves) {
      if (!all && m.bytes > 0) continue;
      bytes += m.bytes;
      for (uint32_t l : remat_.at(m.producer).reads)
        if (!framed[l]) added.insert(l);
    }
    return bytes + 4 * static_cast<ptrdiff_t>(added.size());
  };
  for (const auto& [target, moves] : byTarget) {
    const uint32_t parent = cs_.parent[target];
    const uint32_t arm = armOf(parent, target);
    const auto& sequence = sequences_.at({parent, arm});
    const uint32_t landing = landingOf({siteAt_[target] != kNone, target});
    bool emptyPrefix = sequence.front().index == target;
    for (uint32_t j = sequenceStartOf(parent, arm); j < landing && emptyPrefix; j++)
      emptyPrefix = emitsNothing(j);
    // The function's own sequence, or a block that only block openings precede, has the
    // rewind prologue's if for a guard.
    const auto opensBlock = [](const Instr& ins) { return ins.op == Op::Block; };
    const bool inPrologue =
        parent == CS::kFunction || (code_[parent].op == Op::Block &&
                                    std::all_of(code_.begin(), code_.begin() + parent, opensBlock));
    const ptrdiff_t guard = !emptyPrefix ? 0 : sequence.size() == 1 && !inPrologue ? 5 : 1;
    std::set<uint32_t> readsAll, readsSome;
    const ptrdiff_t all = cost(moves, true, readsAll) - guard;
    // Without the selects (if any), the code before the target keeps what they load.
    const bool selects =
        std::any_of(moves.begin(), moves.end(), [](const Move& m) { return m.bytes > 0; });
    const ptrdiff_t some = cost(moves, false, readsSome) - (selects ? 0 : guard);
    const bool keepAll = all < 0 && all <= some;
    const bool keepSome = !keepAll && some < 0;
    for (uint32_t l : keepAll ? readsAll : keepSome ? readsSome : std::set<uint32_t>{})
      framed[l] = true;
    for (const Move& m : moves) {
      if (keepAll || (keepSome && m.bytes < 0)) continue;
      for (uint32_t j = remat_.at(m.producer).first; j < m.producer; j++) rematMember_.erase(j);
      remat_.erase(m.producer);
      rematSlot_.erase({target, m.slot});
    }
  }
}

std::vector<ValType> Instrumenter::armParams(uint32_t construct, uint32_t arm) const {
  if (construct == CS::kFunction) return {};
  const Instr& owner = code_[construct];
  if (owner.op == Op::Try && arm > 0) {
    const Instr& clause = code_[cs_.catchesOf[construct][arm - 1]];
    return clause.op == Op::Catch ? tagParams(clause.a) : std::vector<ValType>{};
  }
  if (owner.block.kind != BlockType::Index) return {};
  return m_.funcType(owner.block.index).params;
}

std::vector<ValType> Instrumenter::tagParams(uint32_t tag) const {
  uint32_t typeIndex = 0;
  if (tag < m_.numImportedTags()) {
    uint32_t k = 0;
    for (const auto& imp : m_.imports)
      if (imp.kind == ExternKind::Tag && k++ == tag) typeIndex = imp.typeIndex;
  } else {
    typeIndex = m_.tags[tag - m_.numImportedTags()].typeIndex;
  }
  return m_.funcType(typeIndex).params;
}

FunctionInstrumentation Instrumenter::run() {
  FunctionCode fc = readFunctionCode(m_.bodyBytes(fn_), fn_.replaced ? 0 : fn_.body.begin);
  code_ = decodeAll(fc.code, fc.codeOffset, pools_);
  splitRethrowingCatchAll(code_, pools_,
                          {m_.numTags(), [this](uint32_t t) { return tagParams(t); }},
                          [this](const Instr& ins) { return callMayPause(ins); });
  localTypes_ = type_.params;
  localTypes_.insert(localTypes_.end(), fc.locals.begin(), fc.locals.end());
  numOriginalLocals_ = static_cast<uint32_t>(localTypes_.size());
  for (ValType r : type_.results)
    if (!hasZero(r) && !standIn(r)) valuelessResults_.push_back(r);

  cs_ = analyzeControl(code_, pools_);
  findSites();
  FunctionInstrumentation out;
  // Every pausable call is unreachable (and no tail call hands over): leave it as it is.
  if (sites_.empty() && target_.tails->handOver[self_].empty()) return out;
  // Declared non-nullable references become nullable (see addLocal); their reads get
  // ref.as_non_null. Done after the operand-stack types were recorded with the real types.
  for (uint32_t l = static_cast<uint32_t>(type_.params.size()); l < numOriginalLocals_; l++) {
    if (!localTypes_[l].isRef() || localTypes_[l].nullable) continue;
    localTypes_[l].nullable = true;
    relaxed_.insert(l);
  }
  writesOf_.assign(numOriginalLocals_, {});
  for (uint32_t i = 0; i < code_.size(); i++)
    if (code_[i].op == Op::LocalSet || code_[i].op == Op::LocalTee)
      writesOf_[code_[i].a].push_back(i);
  givenBack_ = paramsGivenBack(self_);
  givenBack_.resize(numOriginalLocals_, false);
  planSites();
  planRecomputedConditions();
  std::vector<uint32_t> points;
  // Taken at the call: what rebuilt arguments need exactly is in forcedSaved_ already.
  for (const auto& s : sites_) points.push_back(s.index);
  try {
    LiveAtPoints live = liveAtPoints(code_, pools_, cs_, numOriginalLocals_, points);
    liveAtSites_ = std::move(live.locals);
    liveAtCalls_ = live.total;
  } catch (const Error& e) {
    unsupported(e.message(), fn_.body.begin);
  }
  std::erase_if(liveAtSites_, [&](uint32_t l) { return givenBack_[l]; });
  planRematerialization();
  resumeLocal_ = addLocal(ValType::i32());
  ptrLocal_ = addLocal(target_.memory64 ? ValType::i64() : ValType::i32());
  // Arm selectors: an if's selector is dead once its arm is entered, so ifs in different
  // sequences share them; siblings (set together by one dispatch) need distinct ones. An if
  // whose sites are all in one arm needs no selector set while rewinding (armImplied): the
  // landing that stores its condition runs only on the normal path (the code computing the
  // condition comes before the if, so a rewind always skips it), where the selector is not
  // read again.
  std::vector<uint32_t> selectors;
  uint32_t zeroWhileRewinding = kNone;
  for (auto& [key, targets] : sequences_) {
    size_t k = 0;
    for (const auto& t : targets) {
      if (t.isSite || code_[t.index].op != Op::If) continue;
      auto& pc = path_.at(t.index);
      pc.condRematerialized =
          pc.condRecomputed || rematSlot_.count({t.index, stacks_->height[t.index] - 1}) > 0;
      if (pc.condRematerialized) continue;
      if (pc.hiThen >= pc.hi || pc.hiThen < pc.lo) {
        if (pc.hiThen < pc.lo && zeroWhileRewinding == kNone)
          zeroWhileRewinding = addLocal(ValType::i32());
        pc.condLocal = pc.hiThen >= pc.hi ? resumeLocal_ : zeroWhileRewinding;
        if (pc.condLocal == resumeLocal_) firstResumeWrite_ = std::min(firstResumeWrite_, t.index);
        pc.armImplied = true;
        continue;
      }
      if (k == selectors.size()) selectors.push_back(addLocal(ValType::i32()));
      pc.condLocal = selectors[k++];
    }
  }

  std::erase_if(forcedSaved_, [&](uint32_t l) { return givenBack_[l]; });
  inFrame_.assign(numOriginalLocals_, false);
  for (uint32_t l : liveAtSites_) inFrame_[l] = true;
  for (uint32_t l : forcedSaved_) inFrame_[l] = true;
  const auto framed = static_cast<size_t>(std::count(inFrame_.begin(), inFrame_.end(), true));
  // Rematerialized values are re-read from their locals after landing: those count too.
  for (const auto& [producer, rm] : remat_) {
    if (rm.local != kNone && !givenBack_[rm.local]) inFrame_[rm.local] = true;
    for (uint32_t l : rm.reads)
      if (!givenBack_[l]) inFrame_[l] = true;
  }
  for (const auto& [c, pc] : path_)
    for (uint32_t l : pc.conditionReads)
      if (!givenBack_[l]) inFrame_[l] = true;
  // Inline frames pay where the helper call is a large part of the work per frame: few values,
  // on a cycle of few functions (wider and on any cycle when favoring speed).
  inlineFrames_ = target_.inlineFrames.values > 0 && target_.recursive(self_) &&
                  target_.cycles->size[self_] <= target_.inlineFrames.cycle &&
                  framed <= target_.inlineFrames.values;
  scratchRestore_ = !target_.multiValue && framed <= kMaxScratchAssumed && !inlineFrames_;
  planLoopCopies();

  // The body first (it decides the temps), then the frames, then assemble around it:
  // prologue; block $unwind (result i32) { body; return }; unwind handler; end. Everything is
  // emitted into one emitter (the largest functions decide the transform's peak memory).
  CodeEmitter body(pools_, static_cast<uint32_t>(code_.size()) + 1);
  unwindLabel_ = body.freshLabel();
  if (!sites_.empty()) {
    BlockType yieldsId;
    yieldsId.kind = BlockType::Value;
    yieldsId.value = ValType::i32();
    body.block(unwindLabel_, yieldsId);
    for (uint32_t level = 1; level <= unwindLevels_; level++) {
      unwindLevelLabels_.push_back(body.freshLabel());
      body.block(unwindLevelLabels_.back(), yieldsId);
    }
  }
  emitBody(body);
  computeFrames();
  const bool allRecalled =
      std::all_of(sites_.begin(), sites_.end(), [](const Site& s) { return s.recalled; });
  // Nothing to save and one way to resume (one site, or every site recalled with one callee):
  // no frame.
  const bool oneWay = sites_.size() == 1 || (recalls_.size() == 1 && allRecalled);
  // Tail calls hand frames over by their site ids (see emitTailHandOver): none of that here.
  const bool noHandOver = target_.tails->tag[self_] == 0 && target_.tails->handOver[self_].empty();
  if (oneWay && layout_.empty() && noHandOver) {
    dropFrame(body);
    if (sites_.size() == 1) dropTailCheck(body);
  }
  bodyReadsResume_ = !recalls_.empty() && !frameless_;  // the prologue's recalls read it
  body.rewrite([&](const Instr& ins) {
    bodyReadsResume_ |= ins.op == Op::LocalGet && ins.a == resumeLocal_;
    bodyReadsResumeFlag_ |=
        ins.op == Op::GlobalGet && target_.rewindingGlobal && ins.a == *target_.rewindingGlobal;
  });
  if (!frameless_ && sites_.size() == 1 && recalls_.empty() && !unwindsByBranch_ &&
      !bodyReadsResume_ && !bodyReadsResumeFlag_ && noHandOver) {
    dropSiteId(body);
    carryValueAsId();
  }
  if (scratchRestore_) {
    std::map<uint32_t, uint32_t> scratchOfLocal;
    std::vector<uint32_t> position(ValType::Bottom + 1, 0);
    for (size_t k = 0; k < layout_.size(); k++) {
      const ValType::Kind kind = frameKind(localTypes_[layout_[k].first]);
      const uint32_t key = scratchKey(kind, position[kind]++);
      if (!padding_[k]) scratchOfLocal.emplace(layout_[k].first, kScratchPlaceholder + key);
    }
    body.rewrite([&](Instr& ins) {
      if (ins.op == Op::GlobalGet && ins.a >= kFrameLocalPlaceholder && ins.a < kScratchPlaceholder)
        ins.a = scratchOfLocal.at(ins.a - kFrameLocalPlaceholder);
    });
  }
  // The input's decoded form and its analyses are no longer needed.
  std::vector<Instr>().swap(code_);
  stacks_.reset();
  cs_ = ControlStructure();

  CodeEmitter prologue(pools_, body.nextLabel());
  emitPrologue(prologue);
  // Recalls unwind from the prologue: then it goes inside the unwind block, opened first.
  body.insert(prologueAt_ != SIZE_MAX ? prologueAt_ : recalls_.empty() ? 0 : 1, prologue);
  if (!sites_.empty() && !checkless_) {
    body.op(Op::Return);
    for (uint32_t level = unwindLevels_; level > 0; level--) {
      body.end();  // this level's ids arrive less 128 than the next level out takes them
      body.i32Const(static_cast<int32_t>(kIdsPerUnwindLevel));
      body.op(Op::I32Add);
    }
    body.end();
    emitUnwindHandler(body);
  }
  body.end();  // the function
  return finishOutput(body);
}

FunctionInstrumentation Instrumenter::finishOutput(const CodeEmitter& whole) {
  FunctionInstrumentation out;
  out.code = whole.finish(out.pools, !type_.results.empty());
  // Locals added here that the code ended up not using (a frameless function has no use for
  // the resume id or the frame pointer) are not declared.
  std::vector<bool> used(localTypes_.size(), false);
  for (const Instr& ins : out.code)
    if (ins.op == Op::LocalGet || ins.op == Op::LocalSet || ins.op == Op::LocalTee)
      used.at(ins.a) = true;
  std::vector<uint32_t> renumbered(localTypes_.size());
  uint32_t next = numOriginalLocals_;
  for (uint32_t l = 0; l < localTypes_.size(); l++) {
    renumbered[l] = l < numOriginalLocals_ ? l : next;
    if (l >= numOriginalLocals_ && used[l]) next++;
  }
  if (next != localTypes_.size()) {
    for (Instr& ins : out.code)
      if (ins.op == Op::LocalGet || ins.op == Op::LocalSet || ins.op == Op::LocalTee)
        ins.a = renumbered[ins.a];
    for (uint32_t l = static_cast<uint32_t>(localTypes_.size()); l-- > numOriginalLocals_;)
      if (!used[l]) localTypes_.erase(localTypes_.begin() + l);
  }
  out.declaredLocals.assign(localTypes_.begin() + static_cast<std::ptrdiff_t>(type_.params.size()),
                            localTypes_.end());
  out.helpers = helpers_;
  out.helperGroups = helperGroups_;
  out.i32GroupCalls = i32GroupCalls_;
  out.i32Splittable = !target_.recursive(self_);
  out.blockTypes = blockTypes_;
  out.parkedTypes = parked_;
  out.usesResumeTag = usesResumeTag_;
  out.hostCatchAllTraps = hostCatchAllTraps_;
  out.valuelessResults = valuelessResults_;
  out.liveAtCalls = liveAtCalls_;
  out.callSites = static_cast<uint32_t>(sites_.size());
  out.loopCopies = static_cast<uint32_t>(copiedLoops_.size());
  out.recomputedConditions = static_cast<uint32_t>(conditionAt_.size());
  out.recallHelpers = recallHelpers_;
  out.recalledSites = static_cast<uint32_t>(
      std::count_if(sites_.begin(), sites_.end(), [](const Site& s) { return s.recalled; }));
  out.inlineFrames = !useHelpers_ && !frameless_;
  out.savesTrapWhenNormal = saveTrapsWhenNormal_;
  out.frameBytes.assign(sites_.size(), frameBytes_);
  out.maxFrameBytes = frameBytes_;
  if (!target_.paramsMaybeGivenBack) return out;
  // Which arguments of calls to instrumented functions a rewind rebuilds without saving more.
  std::vector<bool> saved(numOriginalLocals_, false);
  for (const auto& [local, offset] : layout_)
    if (local < numOriginalLocals_) saved[local] = true;
  const auto& maybe = (*target_.paramsMaybeGivenBack)[self_];
  for (size_t l = 0; l < maybe.size(); l++) saved[l] = saved[l] || maybe[l];
  for (const auto& s : sites_) {
    if (s.argIgnored.empty() || s.callee == kNone) continue;
    auto& how =
        out.directCallArgs
            .emplace_back(s.callee, std::vector<ArgumentRebuild>(s.argCount, ArgumentRebuild::No))
            .second;
    for (size_t k = 0; k < s.argSources.size() && !s.spillArgs && !s.recalled; k++) {
      if (!s.argSources[k]) continue;
      const auto& reads = *s.argSources[k];
      how[k] = std::all_of(reads.begin(), reads.end(),
                           [&](uint32_t l) { return saved[l] || givenBack_[l]; })
                   ? ArgumentRebuild::FromFrame
                   : ArgumentRebuild::SavingMore;
    }
  }
  return out;
}

}  // namespace asyncify::instrumenting

namespace asyncify {

void FunctionInstrumentation::encode() {
  if (code.empty()) return;
  encoded = encodeFunctionBody(declaredLocals, code, pools);
  std::vector<Instr>().swap(code);
  pools.clear();
  std::vector<ValType>().swap(declaredLocals);
}

FunctionInstrumentation instrumentFunction(const Module& module, const CallGraph& graph,
                                           const Pausability& pausability,
                                           const InstrumentTarget& target, uint32_t definedIndex) {
  instrumenting::Instrumenter instrumenter(module, graph, pausability, target, definedIndex);
  return instrumenter.run();
}

}  // namespace asyncify
