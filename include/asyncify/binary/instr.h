// One decoded instruction, and the decoder/encoder of function bodies.
// Bodies are decoded on demand (the validator streams them; the transform decodes only the
// functions it instruments) and re-encoded only when changed.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "asyncify/binary/opcodes.h"
#include "asyncify/binary/types.h"

namespace asyncify {

struct BlockType {
  enum Kind : uint8_t { Empty, Value, Index };
  Kind kind = Empty;
  ValType value{};     // Value
  uint32_t index = 0;  // Index: a function type (multi-value / block params)
  bool operator==(const BlockType&) const = default;
};

struct CatchClause {
  enum Kind : uint8_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 };
  Kind kind = Catch;
  uint32_t tag = 0;  // Catch / CatchRef
  uint32_t label = 0;
};

// Variable-size immediates live in pools shared by the instructions of one body.
struct CodePools {
  std::vector<uint32_t> labels;               // br_table targets, default last
  std::vector<std::array<uint8_t, 16>> v128;  // v128.const / i8x16.shuffle
  std::vector<ValType> types;                 // select t*
  std::vector<CatchClause> catches;           // try_table
  void clear() {
    labels.clear();
    v128.clear();
    types.clear();
    catches.clear();
  }
};

// Field use per ImmKind is documented in opcodes.h.
struct Instr {
  Op op = Op::Nop;
  uint8_t lane = 0;
  uint32_t a = 0;
  uint32_t b = 0;
  uint64_t value = 0;
  uint64_t offset = 0;  // absolute offset of the opcode in the input (0 for new code)
  BlockType block{};
  ValType type{};  // heap types of ref.null / ref.test / ref.cast / br_on_cast

  const OpInfo& info() const { return opInfo(op); }
};

// The locals declaration and instruction bytes of one function body.
struct FunctionCode {
  std::vector<ValType> locals;    // declared locals only (params come from the type)
  std::span<const uint8_t> code;  // instructions up to and including the final `end`
  uint64_t codeOffset = 0;        // absolute offset of code[0]
};

// Splits a body (as stored in the code section, after its size) into locals and code.
// Checks the total local count against `maxLocals` (default: 50,000, the limit engines
// enforce) before allocating, and that the code ends with an `end` byte.
FunctionCode readFunctionCode(std::span<const uint8_t> body, uint64_t bodyOffset,
                              uint64_t maxLocals = 50'000);

// Pull decoder. Validates encodings and opcode existence only (not types).
class InstrReader {
 public:
  InstrReader(std::span<const uint8_t> code, uint64_t codeOffset, CodePools& pools);
  bool atEnd() const { return pos_ >= code_.size(); }
  uint64_t offset() const { return base_ + pos_; }  // absolute offset of the next instruction
  void next(Instr& out);  // throws asyncify::Error (offset, feature) on malformed input

 private:
  std::span<const uint8_t> code_;
  uint64_t base_;
  size_t pos_ = 0;
  CodePools& pools_;
};

// Decodes a whole body: convenience over InstrReader for the transform and tests.
std::vector<Instr> decodeAll(std::span<const uint8_t> code, uint64_t codeOffset, CodePools& pools);

// Appends the canonical encoding of `instr` to `out`.
void encodeInstr(const Instr& instr, const CodePools& pools, std::vector<uint8_t>& out);

// Encodes a complete body (locals compressed into runs, then the instructions).
std::vector<uint8_t> encodeFunctionBody(std::span<const ValType> locals,
                                        std::span<const Instr> code, const CodePools& pools);

}  // namespace asyncify
