// Type checker of one function body (or constant expression), fed one instruction at a time so
// that bodies can be streamed from the decoder or taken from decoded vectors alike.
#pragma once

#include <cstddef>
#include <span>

#include "asyncify/binary/instr.h"
#include "asyncify/validate/validator.h"
#include "control_frames.h"
#include "module_context.h"
#include "op_semantics.h"

namespace asyncify::validate {

class FunctionChecker {
 public:
  explicit FunctionChecker(const ModuleContext& ctx);

  // Starts a body; `type` must outlive the check.
  void begin(const FuncType& type, std::span<const ValType> locals, StackObserver* observer);
  // Starts a constant expression producing `result` (ref.func needs no declaration there).
  void beginConstExpr(ValType result);
  void step(const Instr& instr, const CodePools& pools, size_t index);
  bool finished() const { return stack_.depth() == 0; }
  // Fails unless the final `end` was seen; `offset` locates the end of the code.
  void finish(uint64_t offset) const;

  BodyStack& stack() { return stack_; }

 private:
  void checkGeneric(const Instr& in, const OpSemantics& s, const CodePools& pools);
  void checkControl(const Instr& in, VOp vop, const CodePools& pools);
  void checkVariable(const Instr& in, VOp vop, const CodePools& pools);
  void checkCall(const Instr& in, VOp vop);
  void checkException(const Instr& in, VOp vop, const CodePools& pools);
  void checkMemory(const Instr& in, VOp vop);
  void checkTable(const Instr& in, VOp vop);
  void checkRef(const Instr& in, VOp vop);
  void checkBranchOnRef(const Instr& in, VOp vop);
  void checkStruct(const Instr& in, VOp vop);
  void checkArray(const Instr& in, VOp vop);

  BlockSig blockSig(const BlockType& bt);
  void enterBlock(FrameKind kind, const BlockType& bt);

  // Index lookups that fail with a message naming the instruction.
  const FuncType& funcTypeAt(uint32_t typeIndex);
  const SubType& structType(uint32_t typeIndex);
  const SubType& arrayType(uint32_t typeIndex);
  const MemoryType& memoryAt(uint32_t index);
  const TableType& tableAt(uint32_t index);
  const FuncType& tagAt(uint32_t index);
  ValType elemSegmentType(uint32_t index);
  void checkDataIndex(uint32_t index);
  void checkHeap(HeapType h);
  void checkValType(ValType t);
  ValType addressOf(uint32_t memory) {
    return ModuleContext::addressType(memoryAt(memory).limits.is64);
  }

  const ModuleContext& ctx_;
  const TypeContext& types_;
  BodyStack stack_;
  const OpSemantics* sem_;
  StackObserver* observer_ = nullptr;
  const FuncType* fn_ = nullptr;
  bool constExpr_ = false;
  FuncType constType_;  // [] -> [result] of a constant expression
};

// Unpacked type of a field's storage (packed fields read as i32).
inline ValType unpacked(const StorageType& s) {
  return s.packed == StorageType::None ? s.type : ValType::i32();
}

}  // namespace asyncify::validate
