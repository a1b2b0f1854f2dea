// Code on the unwind data structure `[current, end]`, in the memory's address type (i32, or
// i64 on memory64): the frame helpers, the inline frames and the ABI functions all emit it.
#pragma once

#include <cstdint>
#include <functional>

#include "abi.h"
#include "code_emitter.h"
#include "function_instrumenter.h"

namespace asyncify {

struct BufferCode {
  CodeEmitter& e;
  const InstrumentTarget& t;

  void constant(uint64_t v) const {
    if (t.memory64)
      e.i64Const(static_cast<int64_t>(v));
    else
      e.i32Const(static_cast<int32_t>(v));
  }
  void op(Op narrow, Op wide) const { e.op(t.memory64 ? wide : narrow); }
  void loadCurrent() const { loadField(abi::currentOffset(t.memory64)); }
  void loadEnd() const { loadField(abi::endOffset(t.memory64)); }
  // Stores `current` (the data global and the new value are on the stack).
  void storeCurrent() const {
    e.memoryOp(t.memory64 ? Op::I64Store : Op::I32Store, t.memory, alignLog2(),
               abi::currentOffset(t.memory64));
  }
  // Traps unless the state is unwinding or rewinding.
  void trapWhenNormal() const {
    e.globalGet(t.stateGlobal);
    e.op(Op::I32Eqz);
    e.open(CodeEmitter::make(Op::If), e.freshLabel());
    e.op(Op::Unreachable);
    e.end();
  }
  // ptr = current; trap unless `bytes` fit below end; current += bytes. `bytes()` pushes the
  // size (a constant inline, the parameter in the shared reserve function).
  // Only an unwind saves a frame: when asked, a normal state traps first. A function whose calls
  // that never return branch to its save without testing the state (see planRecalls) relies on
  // that when such a call did return, as the `unreachable` after it would have: one test here
  // instead of one per function.
  void reserve(uint32_t ptr, const std::function<void()>& bytes) const {
    if (t.saveTrapsWhenNormal) trapWhenNormal();
    if (t.boundsCheck) {
      loadEnd();
      loadCurrent();
      e.localTee(ptr);
      op(Op::I32Sub, Op::I64Sub);
      bytes();
      op(Op::I32LtU, Op::I64LtU);
      e.open(CodeEmitter::make(Op::If), e.freshLabel());
      e.op(Op::Unreachable);
      e.end();
    } else {
      loadCurrent();
      e.localSet(ptr);
    }
    e.globalGet(t.dataGlobal);
    e.localGet(ptr);
    bytes();
    op(Op::I32Add, Op::I64Add);
    storeCurrent();
  }
  // current -= bytes; ptr = current (left on the stack too when `keep`).
  void release(uint32_t ptr, const std::function<void()>& bytes, bool keep) const {
    e.globalGet(t.dataGlobal);
    loadCurrent();
    bytes();
    op(Op::I32Sub, Op::I64Sub);
    e.localTee(ptr);
    storeCurrent();
    if (keep) e.localGet(ptr);
  }

 private:
  uint32_t alignLog2() const { return t.memory64 ? 3 : 2; }
  void loadField(uint32_t offset) const {
    e.globalGet(t.dataGlobal);
    e.memoryOp(t.memory64 ? Op::I64Load : Op::I32Load, t.memory, alignLog2(), offset);
  }
};

}  // namespace asyncify
