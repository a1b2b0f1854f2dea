// Builds a new instruction sequence in which branches name their targets by label id rather
// than by depth, so wrapping code in new blocks never requires fixing depths by hand.
// finish() turns ids back into depths.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "asyncify/binary/instr.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// A constant expression (global initializer) for the zero value of a numeric or vector type.
ConstExpr zeroConst(ValType t);

// Whether `t` has a zero value (CodeEmitter::zero): all but the non-nullable references.
inline bool hasZero(ValType t) {
  return !t.isRef() || t.nullable;
}
// Whether a function of type `t` can be called with zero arguments.
inline bool zeroCallable(const FuncType& t) {
  return std::all_of(t.params.begin(), t.params.end(), hasZero);
}

class CodeEmitter {
 public:
  static constexpr uint32_t kFunctionLabel = 0;

  // `inputPools` provides the v128 constants, select types and catch clauses that copied
  // instructions refer to.
  CodeEmitter(const CodePools& inputPools, uint32_t firstFreshLabel);

  uint32_t freshLabel() { return nextLabel_++; }
  uint32_t nextLabel() const { return nextLabel_; }
  // Appends another emitter's code; label ids must not collide (share the numbering).
  void append(const CodeEmitter& other);
  // Inserts another emitter's code before instruction `at` (same label numbering rule).
  void insert(size_t at, const CodeEmitter& other);

  // An instruction without label immediates (copied or new).
  void plain(const Instr& ins);
  // A block/loop/if/try (copied or new) that defines `label`.
  void open(const Instr& ins, uint32_t label);
  void block(uint32_t label, BlockType type = {});
  // A try_table whose catch clauses target `catchTargets` (one per clause, in order).
  void openTryTable(const Instr& ins, uint32_t label, std::span<const uint32_t> catchTargets);
  // br, br_if, br_table (targets then default), br_on_*, rethrow, delegate.
  void branch(const Instr& ins, std::span<const uint32_t> targetLabels);
  void br(uint32_t label) { branch1(Op::Br, label); }
  void brIf(uint32_t label) { branch1(Op::BrIf, label); }
  void brTable(std::span<const uint32_t> targetsThenDefault);

  void op(Op o) { plain(make(o)); }
  void end() { op(Op::End); }
  void i32Const(int32_t v);
  void i64Const(int64_t v);
  void localGet(uint32_t l) { indexed(Op::LocalGet, l); }
  void localSet(uint32_t l) { indexed(Op::LocalSet, l); }
  void localTee(uint32_t l) { indexed(Op::LocalTee, l); }
  void globalGet(uint32_t g) { indexed(Op::GlobalGet, g); }
  void globalSet(uint32_t g) { indexed(Op::GlobalSet, g); }
  void call(uint32_t f) { indexed(Op::Call, f); }
  // A load or store with the given memory, alignment exponent and offset.
  void memoryOp(Op o, uint32_t memory, uint32_t alignLog2, uint64_t offset);
  // The zero value of a defaultable type.
  void zero(ValType t);

  size_t size() const { return code_.size(); }
  // Whether everything emitted so far opens plain blocks (no code has run yet).
  bool onlyOpensBlocks() const {
    // Resumes where the last call stopped: deep nesting asks once per block. (Erasing removes
    // no block, so the blocks already seen still lead.)
    blocksLeading_ = std::min(blocksLeading_, code_.size());
    while (blocksLeading_ < code_.size() && code_[blocksLeading_].op == Op::Block) blocksLeading_++;
    return blocksLeading_ == code_.size();
  }
  // Removes the instructions at these positions (ascending), which define no label.
  void erase(std::span<const size_t> positions);
  // Removes the construct opener at `at` whose label nothing branches to; its `end` must not
  // have been emitted yet.
  void dropOpener(size_t at);
  // The positions of the branches to `label`.
  std::vector<size_t> branchesTo(uint32_t label) const;
  const Instr& at(size_t i) const { return code_.at(i); }
  void setBlockType(size_t at, BlockType type) { code_.at(at).block = type; }

  // Edits instructions in place (immediates only; structure and labels must not change).
  template <typename F>
  void rewrite(F&& edit) {
    for (auto& ins : code_) edit(ins);
  }

  // Resolves label ids into depths, tidying what separately emitted pieces leave where they meet
  // (see the definition). `pools` receives every variable-size immediate.
  std::vector<Instr> finish(CodePools& pools, bool functionHasResults = true) const;
  // finish() encoded as a function body that declares `locals`: a generated function's, whole.
  std::vector<uint8_t> encodeBody(std::span<const ValType> locals = {}) const;

  static Instr make(Op o) {
    Instr ins;
    ins.op = o;
    return ins;
  }

 private:
  void copyFrom(const CodeEmitter& other, size_t from, size_t to);  // instructions [from, to)
  void indexed(Op o, uint32_t index) {
    Instr ins = make(o);
    ins.a = index;
    plain(ins);
  }
  void branch1(Op o, uint32_t label) {
    Instr ins = make(o);
    branch(ins, std::span<const uint32_t>(&label, 1));
  }

  const CodePools& input_;
  uint32_t nextLabel_;
  std::vector<Instr> code_;
  mutable size_t blocksLeading_ = 0;    // code_ starts with at least this many blocks
  std::vector<uint32_t> defines_;       // per instruction: label id defined (0: none)
  std::vector<uint32_t> targetsBegin_;  // per instruction, into targets_
  std::vector<uint32_t> targets_;
};

}  // namespace asyncify
