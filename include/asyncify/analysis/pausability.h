// Which functions can change the Asyncify state (pause), following Binaryen's rules and order
// (scan, remove-list, [add-list when propagating], propagation to callers, only-list,
// add-list), but resolving indirect calls by type and by which functions can be reached
// indirectly at all.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "asyncify/analysis/call_graph.h"
#include "asyncify/binary/module.h"
#include "asyncify/transform/options.h"

namespace asyncify {

// The in-module runtime imports (`asyncify.start_unwind`, ...).
enum class RuntimeImport : uint8_t {
  None,
  StartUnwind,
  StopUnwind,
  StartRewind,
  StopRewind,
  GetState
};

struct Pausability {
  enum class Role : uint8_t {
    Plain,          // never pauses
    PausingImport,  // an import that may start an unwind
    Runtime,        // an asyncify.* import, replaced by the generated function
    TopRuntime,     // calls start_unwind / stop_rewind: pauses, but is not instrumented
    BottomRuntime,  // calls stop_unwind / start_rewind: never instrumented, stops propagation
    Instrumented,   // a defined function whose stack can be unwound
  };
  std::vector<Role> role;                    // per function index
  std::vector<RuntimeImport> runtimeImport;  // per function index
  std::vector<bool> addedFromList;           // instrumented because a list said so
  std::vector<bool> canonicalTypePauses;     // an indirect call through this type may pause
  bool foreignTargetsPause = false;          // indirect calls may reach foreign code that pauses
  bool ignoreIndirect = false;

  // Why a function pauses, for --explain: the callee that made it so (nullopt: a seed or a list).
  std::vector<std::optional<uint32_t>> because;
  std::vector<std::string> names;  // the names lists match against, per function index

  bool instrumented(uint32_t f) const { return role[f] == Role::Instrumented; }
  // Whether a direct call to `callee` from an instrumented function may pause.
  bool callPauses(uint32_t callee) const {
    Role r = role[callee];
    return r == Role::PausingImport || r == Role::TopRuntime || r == Role::Instrumented ||
           runtimeImport[callee] == RuntimeImport::StartUnwind ||
           runtimeImport[callee] == RuntimeImport::StopRewind;
  }
  // Whether an indirect call through `canonicalType` from instrumented `caller` may pause.
  bool indirectPauses(uint32_t canonicalType, uint32_t caller) const {
    // With ignore-indirect, functions a list added still have their indirect calls handled.
    if (ignoreIndirect) return addedFromList[caller];
    return foreignTargetsPause || canonicalTypePauses[canonicalType];
  }
};

// Throws asyncify::Error for fatal list problems; warnings and verbose lines go to `log`.
Pausability analyzePausability(const Module& module, const CallGraph& graph,
                               const AsyncifyOptions& options, std::ostream& log);

// The chain of calls that makes `function` pausable, outermost first ("a -> b -> env.sleep").
std::string explainPausability(const Pausability& p, uint32_t function);

}  // namespace asyncify
