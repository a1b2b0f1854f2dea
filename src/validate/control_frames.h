// The operand stack and control stack of the specification's validation algorithm (appendix),
// with the initialization tracking of non-defaultable locals. Everything lives in vectors
// reused across functions: no allocation per instruction, no recursion on nesting depth.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "asyncify/binary/instr.h"
#include "type_context.h"

namespace asyncify::validate {

enum class FrameKind : uint8_t { Function, Block, Loop, If, Else, Try, Catch, CatchAll, TryTable };

struct Frame {
  FrameKind kind = FrameKind::Block;
  bool unreachable = false;
  bool singleResult = false;  // results are {single} (a value block type)
  uint32_t height = 0;        // operand stack height where the frame's values start
  uint32_t initHeight = 0;    // local-initialization log height at entry
  const ValType* params = nullptr;
  uint32_t paramCount = 0;
  const ValType* results = nullptr;
  uint32_t resultCount = 0;
  ValType single{};

  std::span<const ValType> paramTypes() const { return {params, paramCount}; }
  std::span<const ValType> resultTypes() const {
    return singleResult ? std::span<const ValType>(&single, 1)
                        : std::span<const ValType>(results, resultCount);
  }
  // Branches to a loop restart it; to anything else, they leave it.
  std::span<const ValType> labelTypes() const {
    return kind == FrameKind::Loop ? paramTypes() : resultTypes();
  }
};

// A block signature resolved from a BlockType (pointers into the module or the frame).
struct BlockSig {
  std::span<const ValType> params;
  std::span<const ValType> results;
  bool single = false;
  ValType singleType{};
};

// The signature of a frame that replaces `f` (if -> else, try -> catch): same results, new
// params.
inline BlockSig continuation(const Frame& f, std::span<const ValType> params) {
  BlockSig sig;
  sig.params = params;
  if (f.singleResult) {
    sig.single = true;
    sig.singleType = f.single;
  } else {
    sig.results = {f.results, f.resultCount};
  }
  return sig;
}

class BodyStack {
 public:
  explicit BodyStack(const TypeContext& types) : types_(types) {}

  // Starts a function of the given params, declared locals and results.
  void reset(std::span<const ValType> params, std::span<const ValType> locals,
             std::span<const ValType> results);

  // The instruction being checked, for messages.
  void setCurrent(const Instr& instr, size_t index) {
    cur_ = &instr;
    curIndex_ = index;
  }
  [[noreturn]] void fail(const std::string& what) const;
  // "type mismatch in <op>: ..." style failure naming the current operator.
  [[noreturn]] void failOp(const std::string& what) const;
  std::string opName() const;

  // Operand stack.
  void push(ValType t) { vals_.push_back(t); }
  ValType pop();                  // any value (Bottom on a polymorphic empty frame)
  ValType pop(ValType expected);  // checks `actual <: expected`; returns the actual type
  ValType popRef();               // any reference (Ref bot on a polymorphic empty frame)
  void popAll(std::span<const ValType> types);  // pops in reverse order
  void pushAll(std::span<const ValType> types) {
    vals_.insert(vals_.end(), types.begin(), types.end());
  }
  // Checks the top of the stack against `types` and replaces it by `types` (what a pop_vals +
  // push_vals pair does, without copying).
  void retype(std::span<const ValType> types);
  // Checks the top against `types` without changing the stack.
  void peekAll(std::span<const ValType> types) const;
  void markUnreachable();
  // Every further pop yields Bottom: the innermost frame is unreachable and has no values.
  bool exhausted() const {
    return ctrls_.back().unreachable && vals_.size() == ctrls_.back().height;
  }

  // Control stack.
  // Enters a block. With `popParams` its parameters come off the enclosing frame's stack
  // (block, loop, if...); without, the frame starts with them (else, catch).
  void pushFrame(FrameKind kind, const BlockSig& sig, bool popParams = true);
  // Checks the frame's results are exactly on the stack, pops the frame (its values included)
  // and undoes local initializations made inside it. Returns the popped frame.
  Frame popFrame();
  size_t depth() const { return ctrls_.size(); }
  Frame& frame(uint32_t label);  // label 0 = innermost; throws when out of range
  Frame& innermost() { return ctrls_.back(); }
  const std::vector<Frame>& frames() const { return ctrls_; }
  const std::vector<ValType>& values() const { return vals_; }

  // Locals.
  uint32_t localCount() const { return static_cast<uint32_t>(locals_.size()); }
  ValType local(uint32_t index) const;  // throws when out of range
  void checkInitialized(uint32_t index) const;
  void setInitialized(uint32_t index) {
    if (!initialized_[index]) {
      initialized_[index] = 1;
      initLog_.push_back(index);
    }
  }

  const TypeContext& types() const { return types_; }

 private:
  [[noreturn]] void mismatch(ValType expected, ValType actual) const;
  [[noreturn]] void underflow(ValType expected) const;

  const TypeContext& types_;
  std::vector<ValType> vals_;
  std::vector<Frame> ctrls_;
  std::vector<ValType> locals_;
  std::vector<uint8_t> initialized_;
  std::vector<uint32_t> initLog_;
  const Instr* cur_ = nullptr;
  size_t curIndex_ = 0;
};

}  // namespace asyncify::validate
