#include "frame_helpers.h"

#include <algorithm>

#include "buffer_code.h"
#include "code_emitter.h"
#include "function_instrumenter.h"

namespace asyncify {

int frameOrderRank(ValType::Kind k) {
  switch (k) {
    case ValType::V128:
      return 0;
    case ValType::I64:
      return 1;
    case ValType::F64:
      return 2;
    case ValType::I32:
      return 4;
    default:
      return 3;  // F32
  }
}

uint32_t frameBytes(const FrameSignature& s) {
  uint32_t bytes = 4;
  for (auto k : s.kinds) bytes += ValType{k}.byteSize();
  return bytes;
}

FrameSignature i32Signature(size_t n) {
  return {std::vector<ValType::Kind>(n, ValType::I32)};
}

size_t trailingI32s(const FrameSignature& s) {
  const auto last = std::find_if(s.kinds.rbegin(), s.kinds.rend(),
                                 [](ValType::Kind k) { return k != ValType::I32; });
  return static_cast<size_t>(last - s.kinds.rbegin());
}

FuncType helperType(const HelperUse& use) {
  FuncType t;
  if (use.kind == HelperUse::Unpack) {
    t.results.push_back(ValType::i32());  // the site id
    return t;
  }
  if (use.kind == HelperUse::Save) {
    // The id first: the unwinding function has it on the stack already, below the values.
    if (!use.part) t.params.push_back(ValType::i32());
    for (auto k : use.signature.kinds) t.params.push_back(ValType{k});
    return t;
  }
  for (auto k : use.signature.kinds) t.results.push_back(ValType{k});
  if (!use.part)
    t.results.push_back(ValType::i32());  // the site id, on top for the first local.set
  return t;
}

Op frameLoadOp(ValType::Kind k) {
  switch (k) {
    case ValType::I32:
      return Op::I32Load;
    case ValType::I64:
      return Op::I64Load;
    case ValType::F32:
      return Op::F32Load;
    case ValType::F64:
      return Op::F64Load;
    default:
      return Op::V128Load;
  }
}
Op frameStoreOp(ValType::Kind k) {
  switch (k) {
    case ValType::I32:
      return Op::I32Store;
    case ValType::I64:
      return Op::I64Store;
    case ValType::F32:
      return Op::F32Store;
    case ValType::F64:
      return Op::F64Store;
    default:
      return Op::V128Store;
  }
}

uint32_t frameAlignLog2(ValType::Kind k) {
  return ValType{k}.byteSize() >= 8 ? 3 : 2;  // frames are only 4-aligned: a hint, not a promise
}

std::optional<FrameSignature> tailSignature(const FrameSignature& s,
                                            const std::vector<FrameSignature>& available) {
  std::optional<FrameSignature> best;
  for (const auto& a : available) {
    if (a.kinds.size() + 2 > s.kinds.size() || a.kinds.empty()) continue;
    if (!std::equal(a.kinds.begin(), a.kinds.end(), s.kinds.end() - a.kinds.size())) continue;
    if (!best || a.kinds.size() > best->kinds.size()) best = a;
  }
  return best;
}

namespace {

// `pointerLocal`: whether the body declares a local for the frame pointer.
std::vector<uint8_t> encodeHelper(CodeEmitter& e, const InstrumentTarget& t,
                                  bool pointerLocal = true) {
  e.end();
  std::vector<ValType> locals;
  if (pointerLocal) locals.push_back(t.memory64 ? ValType::i64() : ValType::i32());
  return e.encodeBody(locals);
}

}  // namespace

FuncType frameStackOpType(const InstrumentTarget& t) {
  const ValType address = t.memory64 ? ValType::i64() : ValType::i32();
  return {{address}, {address}};
}

std::vector<uint8_t> reserveBody(const InstrumentTarget& t) {
  CodePools none;
  CodeEmitter e(none, 1);
  BufferCode{e, t}.reserve(1, [&] { e.localGet(0); });
  e.localGet(1);
  return encodeHelper(e, t);
}

std::vector<uint8_t> releaseBody(const InstrumentTarget& t) {
  CodePools none;
  CodeEmitter e(none, 1);
  BufferCode{e, t}.release(
      0, [&] { e.localGet(0); }, true);  // the parameter becomes ptr
  return encodeHelper(e, t, false);
}

std::vector<uint32_t> chainedFrameOffsets(const FrameSignature& s, const std::vector<size_t>& chain,
                                          bool withId) {
  const size_t n = s.kinds.size();
  std::vector<size_t> bounds{0};  // the values of each helper in the chain, outermost first
  for (size_t values : chain) bounds.push_back(n - values);
  bounds.push_back(n);
  std::vector<uint32_t> offsets(n + 1);
  uint32_t at = 0;
  for (size_t segment = bounds.size() - 1; segment-- > 0;) {  // from the bottom of the frame
    for (size_t k = bounds[segment]; k < bounds[segment + 1]; k++) {
      offsets[k] = at;
      at += ValType{s.kinds[k]}.byteSize();
    }
    if (withId && segment + 2 == bounds.size()) {
      offsets[n] = at;  // the id, with the innermost helper's values
      at += 4;
    }
  }
  return offsets;
}

std::vector<uint8_t> helperBody(const HelperUse& use, const InstrumentTarget& t,
                                const std::function<uint32_t(uint32_t)>& scratch,
                                std::optional<HelperTail> tail, const FrameStackOps& ops,
                                const std::vector<size_t>& savedBy) {
  CodePools none;
  CodeEmitter e(none, 1);
  const BufferCode buffer{e, t};
  const auto& kinds = use.signature.kinds;
  const uint32_t firstValue = use.part ? 0 : 1;  // a save helper's parameter
  // The values this helper moves itself, at the top of its frame; a tail helper moves the rest
  // (and the id) below them. Without a tail the id goes last.
  const size_t own = kinds.size() - (tail ? tail->values : 0);
  const bool ownsId = !tail && !use.part;
  uint32_t ownBytes = ownsId ? 4 : 0;
  for (size_t k = 0; k < own; k++) ownBytes += ValType{kinds[k]}.byteSize();
  const auto bytes = [&] { buffer.constant(ownBytes); };
  // Locals: parameters (save) or none (restore), then the frame pointer.
  const uint32_t ptr =
      use.kind == HelperUse::Save ? static_cast<uint32_t>(kinds.size()) + firstValue : 0;
  if (use.kind == HelperUse::Save) {
    if (tail) {
      if (!use.part) e.localGet(0);
      for (size_t k = own; k < kinds.size(); k++) e.localGet(static_cast<uint32_t>(k) + firstValue);
      e.call(tail->function);
    }
    if (ops.reserve) {
      bytes();
      e.call(*ops.reserve);
      e.localSet(ptr);
    } else {
      buffer.reserve(ptr, bytes);
    }
    uint32_t offset = 0;
    for (uint32_t k = 0; k < own; k++) {
      e.localGet(ptr);
      e.localGet(k + firstValue);
      e.memoryOp(frameStoreOp(kinds[k]), t.memory, frameAlignLog2(kinds[k]), offset);
      offset += ValType{kinds[k]}.byteSize();
    }
    if (ownsId) {
      e.localGet(ptr);
      e.localGet(0);
      e.memoryOp(Op::I32Store, t.memory, 2, offset);
    }
    return encodeHelper(e, t);
  }
  // Restoring: the frame pointer is left on the stack for the first load.
  if (ops.release) {
    bytes();
    e.call(*ops.release);
    e.localTee(ptr);
  } else {
    buffer.release(ptr, bytes, true);
  }
  // Without a tail, the whole frame, laid out as the save helpers chained it.
  const std::vector<uint32_t> offsets = chainedFrameOffsets(use.signature, savedBy, !use.part);
  uint32_t position[ValType::Bottom + 1] = {};
  for (size_t k = 0; k < own; k++) {
    if (k > 0) e.localGet(ptr);
    e.memoryOp(frameLoadOp(kinds[k]), t.memory, frameAlignLog2(kinds[k]), offsets[k]);
    if (use.kind == HelperUse::Unpack)
      e.globalSet(scratch(scratchKey(kinds[k], position[kinds[k]]++)));
  }
  if (ownsId) {
    if (own > 0) e.localGet(ptr);
    e.memoryOp(Op::I32Load, t.memory, 2, offsets[kinds.size()]);
  } else if (own == 0) {
    e.op(Op::Drop);  // a part helper always has values; kept for a well-formed body
  }
  if (tail) e.call(tail->function);
  return encodeHelper(e, t);
}

std::vector<uint8_t> recallHelperBody(uint32_t callee, const FuncType& type) {
  CodePools none;
  CodeEmitter e(none, 1);
  for (ValType p : type.params) e.zero(p);
  e.call(callee);
  for (size_t k = type.results.size(); k-- > 0;) e.op(Op::Drop);
  e.end();
  return e.encodeBody();
}

}  // namespace asyncify
