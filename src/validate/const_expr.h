// Constant expressions: initializers of globals and tables, segment offsets and element
// expressions. Checked with the body type checker restricted to the constant operators.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asyncify/binary/instr.h"
#include "function_checker.h"
#include "module_context.h"

namespace asyncify::validate {

class ConstExprValidator {
 public:
  explicit ConstExprValidator(const ModuleContext& ctx) : ctx_(ctx), checker_(ctx) {}

  // Checks `expr` is constant and produces a value matching `expected`. Globals it reads must
  // be immutable and below `globalLimit` (the globals visible to it). `what` names it in
  // messages ("global 3 initializer").
  void check(const ConstExpr& expr, ValType expected, uint32_t globalLimit,
             const std::string& what);

 private:
  const ModuleContext& ctx_;
  FunctionChecker checker_;
  CodePools pools_;
};

// Marks in `refs` (indexed by function) every function a constant expression takes with
// ref.func. Malformed expressions are skipped: their own check reports them.
void collectRefFuncs(const Module& module, const ConstExpr& expr, std::vector<uint8_t>& refs);

// The absolute offset of an expression's first byte (0 for expressions built in memory).
inline uint64_t exprOffset(const ConstExpr& e) {
  return e.bytes.empty() ? e.range.begin : 0;
}

}  // namespace asyncify::validate
