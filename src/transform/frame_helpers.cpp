#include "frame_helpers.h"

#include <algorithm>

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

uint32_t helperFrameBytes(const HelperUse& use) {
  return frameBytes(use.signature) - (use.part ? 4 : 0);
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

std::vector<uint8_t> helperBody(const HelperUse& use, const InstrumentTarget& t,
                                const std::function<uint32_t(uint32_t)>& scratch,
                                std::optional<HelperTail> tail) {
  CodePools none;
  CodeEmitter e(none, 1);
  const auto& kinds = use.signature.kinds;
  const uint32_t bytes = helperFrameBytes(use);
  const uint32_t firstValue = use.part ? 0 : 1;  // a save helper's parameter
  const Op loadPtr = t.memory64 ? Op::I64Load : Op::I32Load;
  const Op storePtr = t.memory64 ? Op::I64Store : Op::I32Store;
  const uint32_t ptrAlign = t.memory64 ? 3 : 2;
  auto addrConst = [&](uint32_t v) {
    if (t.memory64)
      e.i64Const(v);
    else
      e.i32Const(static_cast<int32_t>(v));
  };
  // The values this helper moves itself; a tail helper moves the rest (and the id).
  const size_t own = kinds.size() - (tail ? tail->values : 0);
  uint32_t ownBytes = 0;
  for (size_t k = 0; k < own; k++) ownBytes += ValType{kinds[k]}.byteSize();
  // Locals: parameters (save) or none (restore), then the frame pointer.
  const uint32_t ptr =
      use.kind == HelperUse::Save ? static_cast<uint32_t>(kinds.size()) + firstValue : 0;
  if (use.kind == HelperUse::Save) {
    e.globalGet(t.dataGlobal);
    e.memoryOp(loadPtr, t.memory, ptrAlign, 0);
    e.localSet(ptr);
    if (t.boundsCheck) {
      // end - current < bytes: the frame does not fit; trap before writing anything.
      e.globalGet(t.dataGlobal);
      e.memoryOp(loadPtr, t.memory, ptrAlign, t.memory64 ? 8 : 4);
      e.localGet(ptr);
      e.op(t.memory64 ? Op::I64Sub : Op::I32Sub);
      addrConst(bytes);
      e.op(t.memory64 ? Op::I64LtU : Op::I32LtU);
      e.open(CodeEmitter::make(Op::If), e.freshLabel());
      e.op(Op::Unreachable);
      e.end();
    }
    uint32_t offset = 0;
    for (uint32_t k = 0; k < own; k++) {
      e.localGet(ptr);
      e.localGet(k + firstValue);
      e.memoryOp(frameStoreOp(kinds[k]), t.memory, frameAlignLog2(kinds[k]), offset);
      offset += ValType{kinds[k]}.byteSize();
    }
    if (tail) {
      // current += what was stored here; the tail helper stores the rest above it.
      e.globalGet(t.dataGlobal);
      e.localGet(ptr);
      addrConst(ownBytes);
      e.op(t.memory64 ? Op::I64Add : Op::I32Add);
      e.memoryOp(storePtr, t.memory, ptrAlign, 0);
      if (!use.part) e.localGet(0);
      for (size_t k = own; k < kinds.size(); k++) e.localGet(static_cast<uint32_t>(k) + firstValue);
      e.call(tail->function);
    } else {
      if (!use.part) {
        e.localGet(ptr);
        e.localGet(0);  // the site id
        e.memoryOp(Op::I32Store, t.memory, 2, bytes - 4);
      }
      e.globalGet(t.dataGlobal);
      e.localGet(ptr);
      addrConst(bytes);
      e.op(t.memory64 ? Op::I64Add : Op::I32Add);
      e.memoryOp(storePtr, t.memory, ptrAlign, 0);
    }
  } else {
    e.globalGet(t.dataGlobal);
    e.memoryOp(loadPtr, t.memory, ptrAlign, 0);
    addrConst(bytes);
    e.op(t.memory64 ? Op::I64Sub : Op::I32Sub);
    e.localSet(ptr);
    if (!tail) {
      e.globalGet(t.dataGlobal);
      e.localGet(ptr);
      e.memoryOp(storePtr, t.memory, ptrAlign, 0);
    }
    uint32_t offset = 0;
    uint32_t position[ValType::Bottom + 1] = {};
    for (size_t k = 0; k < own; k++) {
      e.localGet(ptr);
      e.memoryOp(frameLoadOp(kinds[k]), t.memory, frameAlignLog2(kinds[k]), offset);
      if (use.kind == HelperUse::Unpack)
        e.globalSet(scratch(scratchKey(kinds[k], position[kinds[k]]++)));
      offset += ValType{kinds[k]}.byteSize();
    }
    if (tail) {
      // The tail helper pops the values above ours (and the id); then current = our frame.
      e.call(tail->function);
      e.globalGet(t.dataGlobal);
      e.localGet(ptr);
      e.memoryOp(storePtr, t.memory, ptrAlign, 0);
    } else if (!use.part) {
      e.localGet(ptr);
      e.memoryOp(Op::I32Load, t.memory, 2, bytes - 4);
    }
  }
  e.end();
  CodePools pools;
  std::vector<Instr> code = e.finish(pools);
  std::vector<ValType> locals{t.memory64 ? ValType::i64() : ValType::i32()};
  return encodeFunctionBody(locals, code, pools);
}

std::vector<uint8_t> recallHelperBody(uint32_t callee, const FuncType& type) {
  CodePools none;
  CodeEmitter e(none, 1);
  for (ValType p : type.params) e.zero(p);
  e.call(callee);
  for (size_t k = type.results.size(); k-- > 0;) e.op(Op::Drop);
  e.end();
  CodePools pools;
  std::vector<Instr> code = e.finish(pools);
  return encodeFunctionBody({}, code, pools);
}

}  // namespace asyncify
