// The Asyncify transform, module level: a drop-in for Binaryen's `--asyncify` pass.
//
// 1. Choose the memory holding the data structure (the only memory; the one exported under
//    --memory NAME when there are several; a new one if there is none; a new private one with
//    --secondary-memory, exported as `asyncify_memory` so runtimes can set it up).
// 2. Add the globals `__asyncify_state` and `__asyncify_data` (imported from `env` with
//    --import-globals, exported with --export-globals).
// 3. Decide which functions pause (analysis/pausability.h): Binaryen's rules and option order,
//    but indirect calls resolved by type and by which functions can be reached indirectly.
// 4. Instrument every pausable function (function_instrumenter.cpp), in parallel.
// 5. Add the five ABI functions and exports; wire `asyncify.*` imports to them (removing those
//    imports renumbers functions, done once by binary/renumber).
// The ABI (names, states, layout) is defined in abi.h.
#include "asyncify/transform/asyncify.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "abi.h"
#include "asyncify/analysis/call_graph.h"
#include "asyncify/analysis/pausability.h"
#include "asyncify/analysis/recursion.h"
#include "asyncify/analysis/steady_globals.h"
#include "asyncify/binary/cursor.h"
#include "asyncify/binary/encoding.h"
#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"
#include "asyncify/binary/renumber.h"
#include "buffer_bound.h"
#include "buffer_code.h"
#include "code_emitter.h"
#include "frame_call_fit.h"
#include "function_instrumenter.h"
#include "helper_plan.h"
#include "never_returning.h"
#include "rebuilt_arguments.h"
#include "ref_parking.h"
#include "stand_ins.h"
#include "state_asserts.h"

namespace asyncify {
namespace {

constexpr std::string_view kApiNames[] = {abi::kStartUnwind, abi::kStopUnwind, abi::kStartRewind,
                                          abi::kStopRewind, abi::kGetState};

// Whether the module may contain multi-value functions: it already has one, or its
// target_features section enables the feature.
bool allowsMultiValue(const Module& m) {
  if (m.features.has(Feature::MultiValue)) return true;
  for (const auto& c : m.customs) {
    if (c.name != "target_features") continue;
    auto payload = c.replaced ? std::span<const uint8_t>(c.newPayload) : m.range(c.payload);
    try {
      Cursor cur(payload);
      for (uint32_t n = cur.readCount("feature", 2); n > 0; n--) {
        uint8_t prefix = cur.readByte();
        if (prefix == '+' && cur.readName() == "multivalue") return true;
        if (prefix != '+') cur.readName();
      }
    } catch (const Error&) {
      return false;  // a malformed section enables nothing
    }
  }
  return false;
}

// Exports `name`. A module instrumented before (--allow-instrumented) has an export of that name
// already, which gives way; in any other module a name taken is an error, never a duplicate.
void addAbiExport(Module& m, bool replacing, std::string_view name, ExternKind kind,
                  uint32_t index) {
  auto taken = std::find_if(m.exports.begin(), m.exports.end(),
                            [&](const Export& e) { return e.name == name; });
  if (taken != m.exports.end()) {
    if (!replacing)
      throw Error(fmt::format(
          "the module already exports '{}', a name the Asyncify ABI gives to its own export",
          name));
    m.exports.erase(taken);
  }
  m.exports.push_back({std::string(name), kind, index});
  m.markChanged(SectionId::Export);
}

uint32_t chooseMemory(Module& m, const AsyncifyOptions& o) {
  if (o.secondaryMemory && o.memoryExport)
    throw Error("--memory and --secondary-memory both say where the unwind data goes; give one");
  if (o.secondaryMemory) {
    // A 32-bit memory: at least a page (the data structure itself must fit), at most 4 GiB.
    if (o.secondaryMemoryPages < 1 || o.secondaryMemoryPages > 65536)
      throw Error(fmt::format("the secondary memory's size must be 1 to 65536 pages, not {}",
                              o.secondaryMemoryPages));
    MemoryType mem;
    mem.limits.min = o.secondaryMemoryPages;
    mem.limits.max = o.secondaryMemoryPages;
    m.memories.push_back(mem);
    m.markChanged(SectionId::Memory);
    uint32_t index = m.numMemories() - 1;
    addAbiExport(m, o.allowInstrumentedInput, abi::kSecondaryMemoryExport, ExternKind::Memory,
                 index);
    return index;
  }
  if (m.numMemories() == 0) {
    if (o.memoryExport)
      throw Error(fmt::format("--memory {}: the module has no memory", *o.memoryExport));
    MemoryType mem;
    mem.limits.min = 1;
    mem.limits.max = 1;
    m.memories.push_back(mem);
    m.markChanged(SectionId::Memory);
    return 0;
  }
  if (m.numMemories() == 1 && !o.memoryExport) return 0;
  const std::string wanted = o.memoryExport.value_or("memory");
  for (const auto& e : m.exports)
    if (e.kind == ExternKind::Memory && e.name == wanted) return e.index;
  // An imported memory, by its import name (env.memory in dynamically linked modules).
  uint32_t imported = 0;
  for (const auto& i : m.imports) {
    if (i.kind != ExternKind::Memory) continue;
    if (i.name == wanted) return imported;
    imported++;
  }
  if (o.memoryExport)
    throw Error(
        fmt::format("--memory {}: the module exports or imports no memory by that name", wanted));
  throw Error(
      fmt::format("the module has {} memories and none is exported as 'memory' (choose one "
                  "with --memory NAME)",
                  m.numMemories()));
}

// Below this many instrumented functions the rewinding and running flags (two globals and eight
// writes in the ABI functions) cost more than the bytes they save in prologues and tests.
constexpr size_t kMinFunctionsForRewindingFlag = 8;

// Adds the two globals; returns {state, data} indices.
std::pair<uint32_t, uint32_t> addGlobals(Module& m, const AsyncifyOptions& o, bool memory64) {
  const ValType ptr = memory64 ? ValType::i64() : ValType::i32();
  uint32_t state, data;
  if (o.importGlobals) {
    const uint32_t firstDefined = m.numImportedGlobals();
    for (auto [name, type] :
         {std::pair{abi::kStateGlobal, ValType::i32()}, std::pair{abi::kDataGlobal, ptr}}) {
      Import imp;
      imp.module = std::string(abi::kGlobalsModule);
      imp.name = std::string(name);
      imp.kind = ExternKind::Global;
      imp.global = {type, true};
      m.imports.push_back(imp);
    }
    IndexMap map;
    map.globals.resize(m.numGlobals());
    for (uint32_t g = 0; g < map.globals.size(); g++) map.globals[g] = g < firstDefined ? g : g + 2;
    m.countImports();
    m.markChanged(SectionId::Import);
    renumber(m, map);
    state = firstDefined;
    data = firstDefined + 1;
  } else {
    state = m.numGlobals();
    m.globals.push_back({{ValType::i32(), true}, zeroConst(ValType::i32())});
    data = m.numGlobals();
    m.globals.push_back({{ptr, true}, zeroConst(ptr)});
    m.markChanged(SectionId::Global);
  }
  if (o.exportGlobals) {
    addAbiExport(m, o.allowInstrumentedInput, abi::kStateGlobal, ExternKind::Global, state);
    addAbiExport(m, o.allowInstrumentedInput, abi::kDataGlobal, ExternKind::Global, data);
  }
  if (m.names) {
    m.names->globals[state] = std::string(abi::kStateGlobal);
    m.names->globals[data] = std::string(abi::kDataGlobal);
    m.markChanged(SectionId::Custom);
  }
  return {state, data};
}

// set(state, ptr): what the four ABI functions that set the state do, which call it. It sets
// the state, its private flags and the data pointer, then traps if the data structure is
// already overflowing (current > end).
std::vector<uint8_t> setStateBody(const InstrumentTarget& t) {
  CodePools none;
  CodeEmitter e(none, 1);
  e.localGet(0);
  e.globalSet(t.stateGlobal);
  if (t.rewindingGlobal) {
    e.localGet(0);
    e.i32Const(abi::kStateRewinding);
    e.op(Op::I32Eq);
    e.globalSet(*t.rewindingGlobal);
  }
  if (t.runningGlobal) {
    static_assert(abi::kStateNormal == 0);
    e.localGet(0);
    e.op(Op::I32Eqz);
    e.globalSet(*t.runningGlobal);
  }
  e.localGet(1);
  e.globalSet(t.dataGlobal);
  const BufferCode buffer{e, t};
  buffer.loadCurrent();
  buffer.loadEnd();
  buffer.op(Op::I32GtU, Op::I64GtU);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  e.op(Op::Unreachable);
  e.end();
  e.end();
  return e.encodeBody();
}

// An ABI function: set(state, its pointer argument), or the current pointer for the stop
// functions (stop_unwind and stop_rewind do the same, and are one function).
std::vector<uint8_t> apiBody(int32_t state, const InstrumentTarget& t, uint32_t set) {
  CodePools none;
  CodeEmitter e(none, 1);
  e.i32Const(state);
  if (state == abi::kStateNormal)
    e.globalGet(t.dataGlobal);
  else
    e.localGet(0);
  e.call(set);
  e.end();
  return e.encodeBody();
}

std::vector<uint8_t> getStateBody(const InstrumentTarget& t) {
  CodePools none;
  CodeEmitter e(none, 1);
  e.globalGet(t.stateGlobal);
  e.end();
  return e.encodeBody();
}

// Adds the ABI functions and their exports; returns each export's function, kApiNames order.
std::array<uint32_t, 5> addApi(Module& m, const InstrumentTarget& t, bool replacing) {
  const ValType ptr = t.memory64 ? ValType::i64() : ValType::i32();
  const uint32_t withPtr = m.internFuncType({{ptr}, {}});
  const uint32_t none = m.internFuncType({{}, {}});
  const uint32_t getsState = m.internFuncType({{}, {ValType::i32()}});
  m.markChanged(SectionId::Type);
  const uint32_t set = m.addFunction(m.internFuncType({{ValType::i32(), ptr}, {}}), setStateBody(t),
                                     "__asyncify_set_state");
  std::array<uint32_t, 5> fn{};
  fn[0] = m.addFunction(withPtr, apiBody(abi::kStateUnwinding, t, set), std::string(kApiNames[0]));
  fn[1] = fn[3] = m.addFunction(none, apiBody(abi::kStateNormal, t, set), "asyncify_stop");
  fn[2] = m.addFunction(withPtr, apiBody(abi::kStateRewinding, t, set), std::string(kApiNames[2]));
  fn[4] = m.addFunction(getsState, getStateBody(t), std::string(kApiNames[4]));
  for (size_t k = 0; k < 5; k++) addAbiExport(m, replacing, kApiNames[k], ExternKind::Func, fn[k]);
  return fn;
}

// Replaces `asyncify.*` imports by the generated functions.
void wireRuntimeImports(Module& m, const Pausability& p, const std::array<uint32_t, 5>& api) {
  const uint32_t numImported = m.numImportedFunctions();
  std::vector<uint32_t> replacement(numImported, UINT32_MAX);
  uint32_t removed = 0;
  for (uint32_t f = 0; f < numImported; f++) {
    switch (p.runtimeImport[f]) {
      case RuntimeImport::StartUnwind:
        replacement[f] = api[0];
        break;
      case RuntimeImport::StopUnwind:
        replacement[f] = api[1];
        break;
      case RuntimeImport::StartRewind:
        replacement[f] = api[2];
        break;
      case RuntimeImport::StopRewind:
        replacement[f] = api[3];
        break;
      case RuntimeImport::GetState:
        replacement[f] = api[4];
        break;
      default:
        break;
    }
    removed += replacement[f] != UINT32_MAX;
  }
  if (!removed) return;
  IndexMap map;
  map.functions.resize(m.numFunctions());
  uint32_t removedBefore = 0;
  for (uint32_t f = 0; f < numImported; f++) {
    if (replacement[f] != UINT32_MAX) {
      removedBefore++;
    } else {
      map.functions[f] = f - removedBefore;
    }
  }
  for (uint32_t f = numImported; f < m.numFunctions(); f++) map.functions[f] = f - removed;
  for (uint32_t f = 0; f < numImported; f++)
    if (replacement[f] != UINT32_MAX) map.functions[f] = replacement[f] - removed;
  // Drop the imports themselves.
  std::vector<Import> kept;
  uint32_t funcImport = 0;
  for (auto& imp : m.imports) {
    if (imp.kind == ExternKind::Func && replacement[funcImport++] != UINT32_MAX) continue;
    kept.push_back(std::move(imp));
  }
  m.imports = std::move(kept);
  m.countImports();
  m.markChanged(SectionId::Import);
  renumber(m, map);
}

constexpr size_t kParallelCodeBytes = 4u << 20;

// Instruments the listed functions on all cores; the first error wins.
std::vector<FunctionInstrumentation> instrumentAll(const Module& m, const CallGraph& g,
                                                   const Pausability& p, const InstrumentTarget& t,
                                                   const std::vector<uint32_t>& defined) {
  std::vector<FunctionInstrumentation> results(defined.size());
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failureLock;
  auto worker = [&] {
    for (size_t k; (k = next.fetch_add(1)) < defined.size();) {
      try {
        results[k] = instrumentFunction(m, g, p, t, defined[k]);
        results[k].encode();
      } catch (...) {
        std::lock_guard<std::mutex> lock(failureLock);
        if (!failure) failure = std::current_exception();
        next = defined.size();
      }
    }
  };
  // Below a few megabytes of code one core finishes in tens of milliseconds, and every extra
  // thread costs its own allocator arena (measured: ~1.5 MB of peak memory on 0.5 MB modules).
  size_t codeBytes = 0;
  for (uint32_t d : defined) codeBytes += m.bodyBytes(m.functions[d]).size();
  unsigned threads = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
  if (codeBytes < kParallelCodeBytes) threads = 1;
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; i++) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

// Instruments `defined` twice where parameters may be given back (rebuilt_arguments.h): once
// with none given back, each caller reporting how it could rebuild the arguments of its calls
// to instrumented functions: from what its frame holds anyway (or from its own candidates), or
// by saving more. Then the candidates every caller rebuilds the first way are given back, and
// those of recursive functions also where callers outside the cycle must save more
// (`givenBack`, which `t` points to afterwards); the functions that have some, and their
// callers, are instrumented again.
std::vector<FunctionInstrumentation> instrumentGivingParamsBack(
    const Module& m, const CallGraph& g, const Pausability& p, InstrumentTarget& t,
    const std::vector<uint32_t>& defined, const std::vector<std::vector<bool>>& candidates,
    std::vector<std::vector<bool>>& givenBack) {
  t.paramsMaybeGivenBack = &candidates;
  std::vector<FunctionInstrumentation> results = instrumentAll(m, g, p, t, defined);
  givenBack = candidates;
  const uint32_t numImported = m.numImportedFunctions();
  for (size_t d = 0; d < results.size(); d++)
    for (const auto& [callee, how] : results[d].directCallArgs)
      for (size_t k = 0; k < givenBack[callee].size(); k++) {
        // A caller outside the callee's recursion may save more to rebuild an argument: it
        // holds it once per entry into the recursion, every level of which then saves less.
        const bool once = how[k] == ArgumentRebuild::SavingMore && t.recursive(callee) &&
                          !t.cycles->onOneCycle(callee, numImported + defined[d]);
        if (how[k] != ArgumentRebuild::FromFrame && !once) givenBack[callee][k] = false;
      }
  std::vector<bool> redo(m.numFunctions(), false);
  for (uint32_t f = numImported; f < m.numFunctions(); f++) {
    if (!anyParamGivenBack(givenBack[f])) continue;
    redo[f] = true;
    for (uint32_t c : g.callers[f]) redo[c] = true;
  }
  std::vector<uint32_t> again;
  std::vector<size_t> at;
  for (size_t k = 0; k < defined.size(); k++)
    if (redo[numImported + defined[k]]) {
      again.push_back(defined[k]);
      at.push_back(k);
    }
  if (again.empty()) return results;
  t.paramsMaybeGivenBack = nullptr;  // the second pass reports no arguments
  t.paramsGivenBack = &givenBack;
  auto redone = instrumentAll(m, g, p, t, again);
  for (size_t k = 0; k < again.size(); k++) results[at[k]] = std::move(redone[k]);
  return results;
}

// Marks a helper call that planHelpers left out, until it is removed.
constexpr uint32_t kDroppedCall = UINT32_MAX;

// Appends one save/restore helper per frame signature in use (in a deterministic order), points
// the placeholder calls at them, and encodes the instrumented bodies.
void addHelpersAndEncode(Module& m, const InstrumentTarget& target,
                         const std::vector<uint32_t>& defined,
                         std::vector<FunctionInstrumentation>& results, StandIns& standIns) {
  InstrumentTarget t = target;
  t.saveTrapsWhenNormal = std::any_of(results.begin(), results.end(),
                                      [](const auto& r) { return r.savesTrapWhenNormal; });
  const HelperPlan plan = planHelpers(results, t, m);
  std::map<HelperUse, uint32_t> index;
  for (const auto& calls : plan.calls)
    for (const auto& use : calls)
      if (use) index.emplace(*use, 0);
  for (const auto& sizes : plan.i32Secondaries)
    for (size_t size : sizes)
      for (auto kind : {HelperUse::Save, HelperUse::Restore})
        index.emplace(HelperUse{kind, i32Signature(size)}, 0);
  for (const auto& slots : plan.partRuns)
    for (const auto& [slot, runs] : slots)
      for (const auto& run : runs)
        for (auto kind : {HelperUse::Save, HelperUse::Restore})
          index.emplace(HelperUse{kind, run, true}, 0);
  // Scratch globals for restoring without multi-value: as many per kind as the largest frame.
  std::map<uint32_t, uint32_t> scratch;  // scratchKey -> global
  for (const auto& [use, unused] : index) {
    if (use.kind != HelperUse::Unpack) continue;
    std::map<ValType::Kind, uint32_t> count;
    for (auto k : use.signature.kinds) {
      const uint32_t key = scratchKey(k, count[k]++);
      if (scratch.count(key)) continue;
      scratch[key] = m.numGlobals();
      m.globals.push_back({{ValType{k}, true}, zeroConst(ValType{k})});
      m.markChanged(SectionId::Global);
    }
  }
  auto scratchGlobal = [&](uint32_t key) { return scratch.at(key); };
  const uint32_t first = m.numFunctions();
  uint32_t next = first;
  for (auto& [use, fn] : index) fn = next++;
  const bool handsOver = std::any_of(t.tails->handOver.begin(), t.tails->handOver.end(),
                                     [](const auto& targets) { return !targets.empty(); });
  const HelperChains chains = chainHelpers(index, handsOver);
  const FrameStackOps ops = chooseFrameStackOps(chains, t, next, scratchGlobal);
  for (const auto& [use, fn] : index) {
    std::string name = use.kind == HelperUse::Save      ? "__asyncify_save"
                       : use.kind == HelperUse::Restore ? "__asyncify_restore"
                                                        : "__asyncify_unpack";
    if (use.part) name += "_part";
    // Runs of a kind as kind x count (`_i64x2_i32x13`): names stay short in large modules.
    const auto& kinds = use.signature.kinds;
    for (size_t k = 0; k < kinds.size();) {
      size_t run = 1;
      while (k + run < kinds.size() && kinds[k + run] == kinds[k]) run++;
      name += "_" + toString(ValType{kinds[k]});
      if (run > 1) name += "x" + std::to_string(run);
      k += run;
    }
    m.addFunction(m.internFuncType(helperType(use)),
                  helperBody(use, t, scratchGlobal, chains.tail.at(use), ops, chains.layoutOf(use)),
                  std::move(name));  // at index `fn`, as planned above
  }
  if (ops.reserve)
    m.addFunction(m.internFuncType(frameStackOpType(t)), reserveBody(t), "__asyncify_reserve");
  if (ops.release)
    m.addFunction(m.internFuncType(frameStackOpType(t)), releaseBody(t), "__asyncify_release");
  // Recall helpers: call a function with zero arguments and drop its results.
  std::map<uint32_t, uint32_t> recallHelper;  // callee -> helper
  for (const auto& r : results)
    for (uint32_t callee : r.recallHelpers) recallHelper.emplace(callee, 0);
  for (auto& [callee, fn] : recallHelper)
    fn = m.addFunction(m.internFuncType({{}, {}}), recallHelperBody(callee, m.functionType(callee)),
                       "__asyncify_recall_" + std::to_string(callee));
  if (!index.empty() || !recallHelper.empty()) m.markChanged(SectionId::Type);
  RefParking parking(m);
  std::optional<uint32_t> resumeTag;  // private, so that only catch_all catches it
  auto privateTag = [&] {
    if (!resumeTag) {
      m.tags.push_back({0, m.internFuncType({{}, {}})});
      resumeTag = m.numTags() - 1;
      m.markChanged(SectionId::Type);
      m.markChanged(SectionId::Tag);
    }
    return *resumeTag;
  };
  const std::optional<uint32_t> exnStandIn = standIns.addFunctions(privateTag);
  for (size_t k = 0; k < defined.size(); k++) {
    auto& r = results[k];
    if (!r.changed()) continue;
    if (r.usesResumeTag) privateTag();
    std::vector<ParkingFunctions> parkingFns;
    for (ValType type : r.parkedTypes) parkingFns.push_back(parking.functionsFor(type));
    std::vector<uint32_t> types;
    for (const auto& blockType : r.blockTypes) types.push_back(m.internFuncType(blockType));
    if (!types.empty()) m.markChanged(SectionId::Type);
    const FunctionCode body = readFunctionCode(r.encoded, 0);
    CodePools pools;
    std::vector<Instr> code = decodeAll(body.code, body.codeOffset, pools);
    std::vector<bool> grouped(r.helpers.size(), false);
    for (uint32_t slot : r.i32GroupCalls) grouped[slot] = true;
    std::vector<I32GroupCall> groupCalls;
    std::vector<PartCall> partCalls;
    bool droppedCalls = false;
    for (size_t i = 0; i < code.size(); i++) {
      Instr& ins = code[i];
      if (ins.op == Op::Call && ins.a == kExnStandInPlaceholder) {
        ins.a = *exnStandIn;
      } else if (ins.op == Op::Call && ins.a >= kHelperPlaceholder) {
        const uint32_t slot = ins.a - kHelperPlaceholder;
        const auto& use = plan.calls[k][slot];
        if (use) {
          ins.a = index.at(*use);
        } else {
          ins.a = kDroppedCall;
          droppedCalls = true;
        }
        const bool save = r.helpers[slot].kind == HelperUse::Save;
        if (grouped[slot]) groupCalls.push_back({i, save, trailingI32s(r.helpers[slot].signature)});
        const auto runs = plan.partRuns[k].find(slot);
        const bool reinterpreted = plan.reinterpretedParts[k].count(slot) > 0;
        if (runs != plan.partRuns[k].end() || reinterpreted) {
          PartCall& part = partCalls.emplace_back();
          part = {i, save, r.helpers[slot].signature.kinds.size(), {}, reinterpreted};
          if (runs != plan.partRuns[k].end())
            for (const auto& run : runs->second)
              part.runs.push_back({run.kinds.size(), index.at({r.helpers[slot].kind, run, true})});
        }
      } else if (ins.op == Op::Call && ins.a >= kParkPlaceholder) {
        const auto& fns = parkingFns.at((ins.a - kParkPlaceholder) / 2);
        ins.a = (ins.a - kParkPlaceholder) % 2 ? fns.unpark : fns.park;
      } else if (ins.op == Op::Call && ins.a >= kRecallPlaceholder) {
        ins.a = recallHelper.at(ins.a - kRecallPlaceholder);
      }
      if (ins.op == Op::Throw && ins.a == kResumeTagPlaceholder) ins.a = *resumeTag;
      if (ins.op == Op::GlobalGet && ins.a >= kScratchPlaceholder)
        ins.a = scratch.at(ins.a - kScratchPlaceholder);
      if (ins.op == Op::Block && ins.block.kind == BlockType::Index &&
          ins.block.index >= kTypePlaceholder)
        ins.block.index = types.at(ins.block.index - kTypePlaceholder);
    }
    std::vector<ValType> locals = body.locals;
    const uint32_t padding = plan.i32Padding[k];
    std::vector<SecondaryHelper> secondaries;
    for (size_t size : plan.i32Secondaries[k])
      secondaries.push_back({size, index.at({HelperUse::Save, i32Signature(size)}),
                             index.at({HelperUse::Restore, i32Signature(size)})});
    if (droppedCalls || padding > 0 || !secondaries.empty() || !partCalls.empty()) {
      const uint32_t params = static_cast<uint32_t>(
          m.functionType(m.numImportedFunctions() + defined[k]).params.size());
      auto newLocal = [&] {
        locals.push_back(ValType::i32());
        return params + static_cast<uint32_t>(locals.size()) - 1;
      };
      code = fitFrameCalls(
          code, padding > 0 || !secondaries.empty() ? groupCalls : std::vector<I32GroupCall>{},
          padding, secondaries, partCalls, newLocal,
          [](const Instr& ins) { return ins.op == Op::Call && ins.a == kDroppedCall; });
      for (auto& bytes : r.frameBytes) bytes += 4 * padding;
      if (r.maxFrameBytes) r.maxFrameBytes += 4 * padding;
    }
    Function& f = m.functions[defined[k]];
    f.replacement = encodeFunctionBody(locals, code, pools);
    f.replaced = true;
    std::vector<uint8_t>().swap(r.encoded);
  }
}

// One line for the whole module: a C++ module has a cleanup handler in most functions.
void warnAboutHostCatchAll(const Pausability& p, const std::vector<uint32_t>& defined,
                           const std::vector<FunctionInstrumentation>& results,
                           uint32_t numImported, std::ostream& log) {
  size_t count = 0;
  std::string first;
  for (size_t k = 0; k < defined.size(); k++) {
    const auto& traps = results[k].hostCatchAllTraps;
    if (traps.empty()) continue;
    if (count == 0)
      first = fmt::format("function {} at byte offset {}", p.names[numImported + defined[k]],
                          traps.front());
    count += traps.size();
  }
  if (count == 0) return;
  log << fmt::format(
      "warning: Asyncify: {} catch_all handler{} may pause and then rethrow; an exception of a "
      "tag from outside the module (a host's) cannot be thrown again, so rewinding into such a "
      "handler traps (first: {}); with try_table and catch_all_ref (exnref) it can\n",
      count, count == 1 ? "" : "s", first);
}

// One line per function (there are few): which type has no values, and what a pause does there.
void warnAboutUnwindTraps(const Pausability& p, const std::vector<uint32_t>& defined,
                          const std::vector<FunctionInstrumentation>& results, uint32_t numImported,
                          std::ostream& log) {
  for (size_t k = 0; k < defined.size(); k++) {
    std::string types;
    bool bottom = false;
    for (ValType r : results[k].valuelessResults) {
      types += (types.empty() ? "" : ", ") + toString(r);
      bottom |= isUninhabited(r);
    }
    if (types.empty()) continue;
    const uint32_t f = numImported + defined[k];
    log << fmt::format(
        "warning: Asyncify: {} returns {}, a type of which no value can be made to return while "
        "unwinding{}: a pause inside it traps when unwinding\n",
        p.names[f], types,
        bottom ? " (its result could become nullable only if nothing but direct calls reached "
                 "it, and a table, ref.func or an export reaches it)"
               : "");
  }
}

// Rewinding joins the normal path at the end of each skip block, where every local may differ
// between the two ways in: an optimizing compiler builds a merge (a phi) per local there, so its
// work grows with locals times call sites. Real functions keep at most 61,000 locals live over
// all their calls (swc); 1,000 over 1,000 calls took V8's TurboFan 15 s, 3,000 over 3,000
// several minutes. Such a function is still instrumented (V8's baseline compiler runs it at
// once), with a warning.
constexpr uint64_t kManyLiveAtCalls = 500'000;

void warnAboutMerges(const Pausability& p, const std::vector<uint32_t>& defined,
                     const std::vector<FunctionInstrumentation>& results, uint32_t numImported,
                     std::ostream& log) {
  for (size_t k = 0; k < defined.size(); k++) {
    const auto& r = results[k];
    if (r.liveAtCalls <= kManyLiveAtCalls) continue;
    log << fmt::format(
        "warning: Asyncify: function {} has {} live locals summed over its {} pausable calls; "
        "optimizing compilers may take long on its output (V8's TurboFan took 15 s for 1,000 "
        "locals live at 1,000 calls)\n",
        p.names[numImported + defined[k]], r.liveAtCalls, r.callSites);
  }
}

// DWARF (`.debug_*` custom sections) locates instructions by their offset in the code section.
// Once a body has been rewritten, or the function count's encoding has grown, those offsets
// name the wrong instructions past that point, and a debugger would show wrong lines: the
// sections are dropped, with a warning, as wasm-opt drops them without -g. With -g (wasm-opt
// would rewrite them; this tool does not) they are kept as they are, with a warning.
void dropStaleDwarf(Module& m, size_t definedBefore, bool keep, std::ostream& log) {
  auto isDwarf = [](const CustomSection& c) { return c.name.starts_with(".debug_"); };
  if (std::none_of(m.customs.begin(), m.customs.end(), isDwarf)) return;
  auto countBytes = [](size_t n) {
    std::vector<uint8_t> leb;
    writeVarU32(leb, static_cast<uint32_t>(n));
    return leb.size();
  };
  bool moved = countBytes(definedBefore) != countBytes(m.functions.size());
  for (size_t d = 0; d < definedBefore && !moved; d++) moved = m.functions[d].replaced;
  if (!moved) return;
  if (keep) {
    log << "warning: Asyncify: kept the DWARF debug sections (-g) unchanged: their addresses "
           "are exact only before the first instrumented function\n";
    return;
  }
  std::vector<std::string> dropped;
  std::vector<CustomSection> kept;
  std::optional<size_t> nameIndex;
  for (size_t i = 0; i < m.customs.size(); i++) {
    if (isDwarf(m.customs[i])) {
      dropped.push_back(m.customs[i].name);
      continue;
    }
    if (m.nameSectionIndex == i) nameIndex = kept.size();
    kept.push_back(std::move(m.customs[i]));
  }
  m.customs = std::move(kept);
  m.nameSectionIndex = nameIndex;
  log << fmt::format(
      "warning: Asyncify: dropped the DWARF debug sections ({}): instrumenting moves code, and "
      "they would point debuggers at the wrong instructions (-g keeps them as they are)\n",
      fmt::join(dropped, ", "));
}

}  // namespace

AsyncifyResult asyncifyModule(Module& m, const AsyncifyOptions& o, std::ostream& log) {
  for (const auto& e : m.exports)
    for (auto name : kApiNames)
      if (e.kind == ExternKind::Func && e.name == name && !o.allowInstrumentedInput)
        throw Error(
            fmt::format("the module is already instrumented by Asyncify (it exports {}); "
                        "instrumenting it again would corrupt its unwinding",
                        name));
  if (o.allowInstrumentedInput) {
    // Re-instrumenting: the old ABI exports give way to the new ones.
    std::erase_if(m.exports, [](const Export& e) {
      for (auto name : kApiNames)
        if (e.name == name) return true;
      return false;
    });
    m.markChanged(SectionId::Export);
  }

  InstrumentTarget target;
  target.memory = chooseMemory(m, o);
  target.memory64 = m.memoryType(target.memory).limits.is64;
  target.boundsCheck = o.boundsCheck;
  target.multiValue = o.multiValue.value_or(allowsMultiValue(m));
  target.loopCopies = !o.favorSize;
  std::tie(target.stateGlobal, target.dataGlobal) = addGlobals(m, o, target.memory64);

  CallGraph graph = buildCallGraph(m);
  Pausability pausability = analyzePausability(m, graph, o, log);
  for (const auto& name : o.explain) {
    bool found = false;
    for (uint32_t f = 0; f < pausability.names.size(); f++) {
      if (pausability.names[f] != name) continue;
      log << "[asyncify] explain: " << explainPausability(pausability, f) << "\n";
      found = true;
    }
    if (!found) log << "[asyncify] explain: no function named " << name << "\n";
  }
  // Functions that never return normally get results that have a value to unwind with.
  const std::vector<uint32_t> retyped = retypeNeverReturning(m, graph, pausability);
  if (!retyped.empty()) {
    graph = buildCallGraph(m);  // their new types extend the canonical ones
    pausability.canonicalTypePauses.resize(graph.indirectCallersOf.size(), false);
    if (o.verbose)
      for (uint32_t f : retyped)
        log << "[asyncify] " << pausability.names[f]
            << " never returns normally: its results become nullable, to return null while "
               "unwinding\n";
  }

  const size_t definedBefore = m.functions.size();
  std::vector<uint32_t> defined;
  const uint32_t numImported = m.numImportedFunctions();
  for (uint32_t d = 0; d < m.functions.size(); d++)
    if (pausability.instrumented(numImported + d)) defined.push_back(d);
  if (!o.importGlobals && !o.exportGlobals && defined.size() >= kMinFunctionsForRewindingFlag) {
    target.rewindingGlobal = m.numGlobals();
    m.globals.push_back({{ValType::i32(), true}, zeroConst(ValType::i32())});
    m.markChanged(SectionId::Global);
    if (m.names) m.names->globals[*target.rewindingGlobal] = "__asyncify_rewinding";
    target.runningGlobal = m.numGlobals();
    ConstExpr one;
    one.bytes = {0x41, 0x01, 0x0b};  // i32.const 1: the state starts out normal
    m.globals.push_back({{ValType::i32(), true}, one});
    if (m.names) m.names->globals[*target.runningGlobal] = "__asyncify_running";
  }
  // Values for unwinding functions to return in place of non-nullable references.
  StandIns standIns(m);
  for (uint32_t d : defined)
    for (ValType r : m.functionType(numImported + d).results)
      if (!hasZero(r)) standIns.standInFor(r);
  target.standIns = &standIns;
  const TailCallPlan tails = planTailCalls(m, graph, pausability);
  target.tails = &tails;
  const DirectCallCycles cycles =
      directCallCycles(graph, [&](uint32_t f) { return pausability.instrumented(f); });
  target.cycles = &cycles;
  if (o.favorSize)
    target.inlineFrames = {};
  else if (o.favorSpeed)
    target.inlineFrames = {kMaxInlineFrameValuesForSpeed, std::numeric_limits<uint32_t>::max()};
  auto candidates = paramsGivenBackOnRewind(m, graph, pausability, tails);
  const std::vector<bool> indirectArgsIgnored =
      indirectArgumentsIgnored(m, graph, pausability, candidates);
  target.indirectArgsIgnored = &indirectArgsIgnored;
  std::vector<bool> steady = steadyGlobals(m, graph, pausability);
  for (auto g : {std::optional(target.stateGlobal), std::optional(target.dataGlobal),
                 target.rewindingGlobal, target.runningGlobal})  // the ABI functions write them
    if (g && *g < steady.size()) steady[*g] = false;
  target.steadyGlobals = &steady;
  std::vector<std::vector<bool>> givenBack;
  std::vector<FunctionInstrumentation> results =
      instrumentGivingParamsBack(m, graph, pausability, target, defined, candidates, givenBack);

  warnAboutHostCatchAll(pausability, defined, results, numImported, log);
  warnAboutUnwindTraps(pausability, defined, results, numImported, log);
  warnAboutMerges(pausability, defined, results, numImported, log);
  AsyncifyResult result;
  addHelpersAndEncode(m, target, defined, results, standIns);
  for (size_t k = 0; k < defined.size(); k++) {
    if (results[k].callSites == 0) continue;  // no reachable pausable call
    result.instrumentedFunctions++;
    result.pausableCallSites += results[k].callSites;
  }
  if (o.asserts) addStateAsserts(m, pausability, target.stateGlobal);
  if (!o.reportPath.empty())
    writeReport(o.reportPath, m, graph, pausability, defined, results, retyped);

  wireRuntimeImports(m, pausability, addApi(m, target, o.allowInstrumentedInput));
  dropStaleDwarf(m, definedBefore, o.keepDwarf, log);
  return result;
}

}  // namespace asyncify
