// Saving and restoring frames through small shared functions: a function's unwind path calls
// `save(values..., id)` and its rewind path `restore() -> (values..., id)`, so each saved local
// costs a `local.get` or `local.set` at the call site instead of a load/store sequence. One
// pair of helpers serves every function with the same frame signature.
#pragma once

#include <compare>
#include <cstdint>
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

// Layout order: 16-, then 8-, then 4-byte values, keeping every value 4-aligned.
int frameOrderRank(ValType::Kind k);
uint32_t frameBytes(const FrameSignature& s);  // values + the 4-byte site id
// The load, store and alignment hint used for a saved value of kind `k`.
Op frameLoadOp(ValType::Kind k);
Op frameStoreOp(ValType::Kind k);
uint32_t frameAlignLog2(ValType::Kind k);

// Frames with more values than this are saved inline (engines limit parameters and results).
constexpr size_t kMaxHelperValues = 400;

// Call immediates at or above this mark a helper call, resolved once all helpers are known.
constexpr uint32_t kHelperPlaceholder = 0xF0000000u;
// Likewise for block type indices that are interned after instrumentation.
constexpr uint32_t kTypePlaceholder = 0xF0000000u;
// Likewise for the tag thrown to re-enter a catch_all handler on rewind.
constexpr uint32_t kResumeTagPlaceholder = 0xF0000000u;

struct HelperUse {
  // Save(values..., id); Restore() -> (values..., id), multi-value; Pop() -> one value of
  // signature.kinds[0] from the top of the frame (restoring one value at a time, for modules
  // limited to single results).
  enum Kind : uint8_t { Save, Restore, Pop };
  Kind kind = Save;
  FrameSignature signature;
  auto operator<=>(const HelperUse&) const = default;
};

FuncType helperType(const HelperUse& use);
std::vector<uint8_t> helperBody(const HelperUse& use, const InstrumentTarget& target);

}  // namespace asyncify
