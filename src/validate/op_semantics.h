// What the type checker needs to know of each operator, derived once from the opcode table:
// operators identified by their binary opcode (not their enum names) either get a dedicated
// rule (VOp) or are checked from OpInfo::signature plus their immediates (alignment, lanes).
#pragma once

#include <cstdint>

#include "asyncify/binary/opcodes.h"

namespace asyncify::validate {

enum class VOp : uint8_t {
  Generic,  // fixed signature from the table
  Unknown,  // a "*" signature without a rule here (reported as unsupported)
  Unreachable,
  Nop,
  Block,
  Loop,
  If,
  Else,
  Try,
  Catch,
  CatchAll,
  Delegate,
  Throw,
  Rethrow,
  ThrowRef,
  TryTable,
  End,
  Br,
  BrIf,
  BrTable,
  Return,
  Call,
  CallIndirect,
  ReturnCall,
  ReturnCallIndirect,
  CallRef,
  ReturnCallRef,
  Drop,
  Select,
  SelectTyped,
  LocalGet,
  LocalSet,
  LocalTee,
  GlobalGet,
  GlobalSet,
  TableGet,
  TableSet,
  TableInit,
  ElemDrop,
  TableCopy,
  TableGrow,
  TableSize,
  TableFill,
  MemorySize,
  MemoryGrow,
  MemoryInit,
  DataDrop,
  MemoryCopy,
  MemoryFill,
  RefNull,
  RefIsNull,
  RefFunc,
  RefEq,
  RefAsNonNull,
  BrOnNull,
  BrOnNonNull,
  StructNew,
  StructNewDefault,
  StructGet,
  StructGetS,
  StructGetU,
  StructSet,
  ArrayNew,
  ArrayNewDefault,
  ArrayNewFixed,
  ArrayNewData,
  ArrayNewElem,
  ArrayGet,
  ArrayGetS,
  ArrayGetU,
  ArraySet,
  ArrayLen,
  ArrayFill,
  ArrayCopy,
  ArrayInitData,
  ArrayInitElem,
  RefTest,
  RefTestNull,
  RefCast,
  RefCastNull,
  BrOnCast,
  BrOnCastFail,
  AnyConvertExtern,
  ExternConvertAny,
  RefI31,
  I31GetS,
  I31GetU,
};

// Letters of OpInfo::signature.
enum class SigType : uint8_t { I32, I64, F32, F64, V128, Addr };

struct OpSemantics {
  VOp vop = VOp::Unknown;
  uint8_t paramCount = 0;
  uint8_t resultCount = 0;
  SigType params[4]{};
  SigType results[2]{};
  uint8_t alignLog2 = 0;    // natural alignment (log2 bytes) of a memory access
  uint8_t lanes = 0;        // lane count of a lane immediate
  bool atomic = false;      // alignment must equal the natural one
  bool usesMemory = false;  // the memory index is Instr::a
  bool memArg = false;      // alignment and offset immediates
  bool shuffle = false;     // 16 lane indices in the v128 pool
};

// The table, indexed by Op. Built on first use (thread-safe).
const OpSemantics* semanticsTable();
inline const OpSemantics& semantics(Op op) {
  return semanticsTable()[static_cast<size_t>(op)];
}

}  // namespace asyncify::validate
