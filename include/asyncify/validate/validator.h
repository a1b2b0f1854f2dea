// Full validation: module structure and type checking of every function body.
#pragma once

#include <cstdint>
#include <span>

#include "asyncify/binary/instr.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// Sees the operand stack before each instruction while a body is type-checked: what the
// transform needs to spill values and rebuild frames.
class StackObserver {
 public:
  virtual ~StackObserver() = default;
  // `stack`: the whole operand stack, every control frame's values, bottom first.
  // `frameBase`: where the innermost control frame's values start in `stack`.
  // `unreachable`: the innermost frame is stack-polymorphic (after br/return/unreachable...);
  //   its missing operands are then absent from `stack` (not materialized as Bottom).
  virtual void beforeInstr(size_t index, const Instr& instr, std::span<const ValType> stack,
                           size_t frameBase, bool unreachable) = 0;
};

struct ValidateOptions {
  // No settings yet: validation always accepts every feature the library knows (what
  // `wasm-validate --enable-all` means) and stops at the first problem.
};

// Validates the whole module; throws asyncify::Error at the first problem (with offset).
// Every call is self-contained: concurrent calls on the same const module are safe.
void validateModule(const Module& module, const ValidateOptions& options = {});

// Type-checks one decoded body of function type `type` with declared `locals`; `code` ends
// with the function's final `end`. Instructions built in memory (offset 0) are named in
// messages by their index in `code`.
void validateCode(const Module& module, const FuncType& type, std::span<const ValType> locals,
                  std::span<const Instr> code, const CodePools& pools,
                  StackObserver* observer = nullptr);

// Decodes and type-checks defined function `definedIndex` (0 = first defined function).
void validateFunction(const Module& module, uint32_t definedIndex,
                      StackObserver* observer = nullptr);

}  // namespace asyncify
