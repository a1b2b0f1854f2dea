// Values of non-nullable reference types for code that must produce one it never uses: an
// instrumented function that unwinds returns one to its caller, which sees the state and drops
// it. Nullable and numeric results return their zero; a non-nullable reference has none, so
// each such type gets an immutable global whose initializer builds a value of it (the extended
// constant expressions of the GC proposal: ref.i31, struct.new, array.new_fixed, ref.func...).
// Two kinds need a function of their own: a function type that no function of the module has
// gets one whose body is `unreachable` (never called: only its reference is returned), and
// `(ref exn)`, which no constant expression makes, comes from a function that throws a private
// tag and catches it with catch_all_ref.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "asyncify/binary/module.h"

namespace asyncify {

// The call immediate that stands for the exn-making function until it has an index.
constexpr uint32_t kExnStandInPlaceholder = 0xCFFFFFFFu;

struct StandIn {
  enum Kind : uint8_t { Global, Call };
  Kind kind = Global;
  uint32_t index = 0;  // the global, or kExnStandInPlaceholder
};

class StandIns {
 public:
  explicit StandIns(Module& m) : m_(m) {}
  // How to produce a value of `type` (a non-nullable reference), planned on first use; none
  // for the bottom types, which have no values, and for structs that would need one of them.
  std::optional<StandIn> standInFor(ValType type);
  // The stand-in planned for `type` by standInFor; none if it was not planned or has none.
  std::optional<StandIn> planned(ValType type) const;
  // Appends the functions the stand-ins planned so far need and completes the initializers
  // that refer to them. Called once the module's other functions have their final indices;
  // `tag` gives the private tag of type [] -> [] to throw (added on demand). Returns the index
  // of the exn-making function when one was planned.
  std::optional<uint32_t> addFunctions(const std::function<uint32_t()>& tag);

 private:
  // Appends a constant expression producing a non-null value of heap type `h` to `out`,
  // naming in `missing` the function types that still need a function.
  bool build(HeapType h, std::vector<uint8_t>& out, int depth, std::set<uint32_t>& missing) const;
  bool buildField(const StorageType& s, std::vector<uint8_t>& out, int depth,
                  std::set<uint32_t>& missing) const;

  Module& m_;
  std::map<std::string, std::optional<StandIn>> byType_;
  std::set<uint32_t> missingFunctionTypes_;
  // Initializers to build again: positions in Module::globals (defined globals only).
  std::vector<std::pair<size_t, HeapType>> unfinishedGlobals_;
  bool exnPlanned_ = false;
};

}  // namespace asyncify
