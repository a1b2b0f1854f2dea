// Operators: one enum and one table, both generated from opcodes.def.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "asyncify/binary/features.h"

namespace asyncify {

// The immediates an operator carries, and where Instr keeps them (see instr.h).
enum class ImmKind : uint8_t {
  None,
  Block,         // blocktype -> Instr::block
  Label,         // a = label depth
  BrTable,       // value = first entry in pools.labels, b = target count (b targets, then
                 //   the default: b + 1 entries)
  Func,          // a = function index
  CallIndirect,  // a = type index, b = table index
  Local,         // a = local index
  Global,        // a = global index
  Table,         // a = table index
  Memory,        // a = memory index
  Tag,           // a = tag index
  MemArg,        // a = memory index, b = alignment exponent, value = offset
  MemArgLane,    // MemArg + lane
  I32,           // value = sign-extended bits
  I64,           // value = bits
  F32,           // value = bits
  F64,           // value = bits
  V128,          // value = index in pools.v128
  Shuffle,       // value = index in pools.v128 (16 lane indices)
  Lane,          // lane
  SelectTyped,   // value = first entry in pools.types, b = count
  HeapType,      // type.heap (ref.null)
  Type,          // a = type index (call_ref, struct.new, array.new, ...)
  TypeField,     // a = type index, b = field index
  TypeType,      // a = destination type index, b = source type index (array.copy)
  TypeData,      // a = type index, b = data index
  TypeElem,      // a = type index, b = elem index
  TypeLen,       // a = type index, b = length (array.new_fixed)
  RefCast,       // type.heap (ref.test / ref.cast; nullability is in the opcode)
  BrOnCast,      // lane = flags, a = label, type.heap = source, b = target heap code
  TableTable,    // a = destination table, b = source table (table.copy)
  ElemTable,     // a = elem index, b = table index (table.init)
  MemMem,        // a = destination memory, b = source memory (memory.copy)
  DataMem,       // a = data index, b = memory index (memory.init)
  Data,          // a = data index
  Elem,          // a = elem index
  TryTable,      // block + value = first entry in pools.catches, b = count
  Zero,          // a single reserved zero byte (atomic.fence)
};

enum class Op : uint16_t {
#define WASM_OP(name, text, prefix, code, imm, feature, sig) name,
#include "asyncify/binary/opcodes.def"
#undef WASM_OP
  Count_
};

struct OpInfo {
  std::string_view text;  // "i32.add"
  uint8_t prefix;         // 0 for one-byte opcodes, else 0xfb/0xfc/0xfd/0xfe
  uint32_t code;          // the byte, or the LEB128 sub-opcode after the prefix
  ImmKind imm;
  Feature feature;
  // Stack signature of operators with a fixed one: "params:results" with i=i32 I=i64
  // f=f32 F=f64 v=v128 a=address of the memory immediate (i32, or i64 on memory64; the
  // memory is Instr::a, or Instr::b for memory.init); "*" where the validator computes it
  // (control, locals, calls, references, tables, memory.copy between two memories).
  std::string_view signature;
  // Memory accesses (MemArg, MemArgLane): log2 of the bytes accessed, the largest alignment
  // allowed (atomics require exactly this one). 0 for other operators.
  uint8_t naturalAlign;
};

constexpr size_t kOpCount = static_cast<size_t>(Op::Count_);

const OpInfo& opInfo(Op op);
// Decoding lookup: nullopt for an unknown opcode.
std::optional<Op> lookupOp(uint8_t prefix, uint32_t code);

}  // namespace asyncify
