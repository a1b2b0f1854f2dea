// Saving and restoring frames through small shared functions: a function's unwind path calls
// `save(values..., id)` and its rewind path `restore() -> (values..., id)`, so each saved local
// costs a `local.get` or `local.set` at the call site instead of a load/store sequence. One
// pair of helpers serves every function with the same frame signature.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "asyncify/binary/module.h"
#include "asyncify/binary/opcodes.h"

namespace asyncify {

struct InstrumentTarget;

// The types of a frame's saved values, in layout order (see frameOrderRank).
struct FrameSignature {
  std::vector<ValType::Kind> kinds;
  auto operator<=>(const FrameSignature&) const = default;
};

// Layout order: 16-, then 8-, then 4-byte values, keeping every value 4-aligned; i32 values
// last, next to the site id, so that a frame saved by kind ends with one helper for both.
int frameOrderRank(ValType::Kind k);
uint32_t frameBytes(const FrameSignature& s);  // values + the 4-byte site id
FrameSignature i32Signature(size_t n);         // n i32 values
size_t trailingI32s(const FrameSignature& s);  // the i32 values at its end
// The load, store and alignment hint used for a saved value of kind `k`.
Op frameLoadOp(ValType::Kind k);
Op frameStoreOp(ValType::Kind k);
uint32_t frameAlignLog2(ValType::Kind k);

// Frames with more values than this are saved inline (engines limit parameters and results).
constexpr size_t kMaxHelperValues = 400;

// Call immediates at or above this mark a helper call, resolved once all helpers are known.
constexpr uint32_t kHelperPlaceholder = 0xF0000000u;
// Call immediates kRecallPlaceholder + f (below the two above) call the function that calls f
// with zero arguments, for a rewind that calls f again ignoring them (see planRecalls).
constexpr uint32_t kRecallPlaceholder = 0xD0000000u;
// Likewise for block type indices that are interned after instrumentation.
constexpr uint32_t kTypePlaceholder = 0xF0000000u;
// Likewise for the tag thrown to re-enter a catch_all handler on rewind.
constexpr uint32_t kResumeTagPlaceholder = 0xF0000000u;

// Modules limited to single results restore through scratch globals: Unpack() -> id pops the
// frame and leaves its values in one global per (kind, position among values of that kind),
// which the caller then copies into its locals. Until they exist, `global.get` immediates of
// kScratchPlaceholder + scratchKey(kind, position) name them.
constexpr uint32_t kScratchPlaceholder = 0xD0000000u;
constexpr uint32_t scratchKey(ValType::Kind k, uint32_t position) {
  return static_cast<uint32_t>(k) << 16 | position;
}

struct HelperUse {
  // Save(id, values...); Restore() -> (values..., id), multi-value; Unpack() -> id, the values
  // in scratch globals.
  enum Kind : uint8_t { Save, Restore, Unpack };
  Kind kind = Save;
  FrameSignature signature;
  // Without the site id: one kind's values in a frame saved by kind (see HelperGroup).
  bool part = false;
  auto operator<=>(const HelperUse&) const = default;
};

// A frame saved or restored one kind at a time (`parts`, placeholder slots in call order):
// saving, a part helper per kind below the i32 values, then the helper for the i32 values and
// the id; restoring, the same in reverse. Keeping only the last call of a save or the first of
// a restore, pointed at the helper for the `whole` signature, gives the same stack effects, so
// each module chooses per signature: a helper of its own when enough frames share it, else the
// parts, which frames of other signatures share.
struct HelperGroup {
  std::vector<uint32_t> parts;
  HelperUse whole;
};

FuncType helperType(const HelperUse& use);

// `() -> ()`: calls `callee` with zero arguments and drops its results.
std::vector<uint8_t> recallHelperBody(uint32_t callee, const FuncType& type);

// A save or restore helper may hand the last `values` of its frame (and the id) to the helper
// `function` of that shorter signature, which the module has anyway: the larger helper then
// holds only the code for the values before them. The tail's values lie below the others in
// the buffer: a save hands them over before pushing its own, a restore pops its own first (so
// the id is not on top: modules whose tail calls hand frames over have no chains).
struct HelperTail {
  uint32_t function = 0;
  size_t values = 0;
};
// The longest signature among `available` that ends `s` and is at least two values shorter.
std::optional<FrameSignature> tailSignature(const FrameSignature& s,
                                            const std::vector<FrameSignature>& available);

// How helpers push and pop their part of a frame: `reserve(bytes) -> ptr` traps if the bytes
// do not fit (when bounds-checked) and moves `current` up past them; `release(bytes) -> ptr`
// moves it back down. Shared functions when a module has enough helpers to pay for them (each
// helper then spends a call on it), else the same code inline in every helper.
struct FrameStackOps {
  std::optional<uint32_t> reserve;
  std::optional<uint32_t> release;
};
FuncType frameStackOpType(const InstrumentTarget& target);  // (bytes) -> ptr
std::vector<uint8_t> reserveBody(const InstrumentTarget& target);
std::vector<uint8_t> releaseBody(const InstrumentTarget& target);

// Where each value of a frame of signature `s` and its id (last, if `withId`) lie, from the
// frame's start, when saved by a helper whose `chain` of tails hands over the last chain[0]
// values, whose tail hands over the last chain[1], and so on.
std::vector<uint32_t> chainedFrameOffsets(const FrameSignature& s, const std::vector<size_t>& chain,
                                          bool withId);

// `scratch(key)`: the index of the scratch global for scratchKey(kind, position). `savedBy`:
// for a restore or unpack helper without a tail, the chain of tails of the save helper of the
// same signature (how it laid the frame out).
std::vector<uint8_t> helperBody(const HelperUse& use, const InstrumentTarget& target,
                                const std::function<uint32_t(uint32_t)>& scratch,
                                std::optional<HelperTail> tail, const FrameStackOps& ops,
                                const std::vector<size_t>& savedBy = {});

}  // namespace asyncify
