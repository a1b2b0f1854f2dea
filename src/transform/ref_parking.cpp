#include "ref_parking.h"

#include "asyncify/binary/instr.h"
#include "code_emitter.h"

namespace asyncify {
namespace {

constexpr uint32_t kGrowBy = 16;

Instr withIndex(Op op, uint32_t index) {
  Instr ins = CodeEmitter::make(op);
  ins.a = index;
  return ins;
}

void refNull(CodeEmitter& e, ValType type) {
  Instr ins = CodeEmitter::make(Op::RefNull);
  ins.type = type;
  e.plain(ins);
}

// park(value) -> slot: -1 for null; else the first free slot at or above the mark (growing the
// table when there is none), which then holds the value; the mark moves past it.
std::vector<uint8_t> parkBody(ValType type, uint32_t table, uint32_t mark) {
  CodePools none;
  CodeEmitter e(none, 1);
  const uint32_t value = 0, slot = 1;
  e.localGet(value);
  e.op(Op::RefIsNull);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  e.i32Const(-1);
  e.op(Op::Return);
  e.end();
  e.globalGet(mark);
  e.localSet(slot);
  const uint32_t scan = e.freshLabel();
  e.open(CodeEmitter::make(Op::Loop), scan);
  // Past the end: grow (a failed grow is out of memory, nothing sensible remains to do).
  e.localGet(slot);
  e.plain(withIndex(Op::TableSize, table));
  e.op(Op::I32GeU);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  refNull(e, type);
  e.plain(withIndex(Op::TableSize, table));
  e.i32Const(kGrowBy);
  e.op(Op::I32Add);
  e.plain(withIndex(Op::TableGrow, table));
  e.i32Const(-1);
  e.op(Op::I32Eq);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  e.op(Op::Unreachable);
  e.end();
  e.end();
  e.localGet(slot);
  e.plain(withIndex(Op::TableGet, table));
  e.op(Op::RefIsNull);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  e.localGet(slot);
  e.localGet(value);
  e.plain(withIndex(Op::TableSet, table));
  e.localGet(slot);
  e.i32Const(1);
  e.op(Op::I32Add);
  e.globalSet(mark);
  e.localGet(slot);
  e.op(Op::Return);
  e.end();
  e.localGet(slot);
  e.i32Const(1);
  e.op(Op::I32Add);
  e.localSet(slot);
  e.br(scan);
  e.end();  // loop
  e.op(Op::Unreachable);
  e.end();
  const ValType slotLocal[] = {ValType::i32()};
  return e.encodeBody(slotLocal);
}

// unpark(slot) -> value: empties the slot (the table must not keep the value alive) and lowers
// the mark to it.
std::vector<uint8_t> unparkBody(ValType type, uint32_t table, uint32_t mark) {
  CodePools none;
  CodeEmitter e(none, 1);
  const uint32_t slot = 0;
  e.localGet(slot);
  e.i32Const(-1);
  e.op(Op::I32Eq);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  refNull(e, type);
  e.op(Op::Return);
  e.end();
  e.localGet(slot);
  e.plain(withIndex(Op::TableGet, table));
  e.localGet(slot);
  refNull(e, type);
  e.plain(withIndex(Op::TableSet, table));
  e.localGet(slot);
  e.globalGet(mark);
  e.op(Op::I32LtU);
  e.open(CodeEmitter::make(Op::If), e.freshLabel());
  e.localGet(slot);
  e.globalSet(mark);
  e.end();
  e.end();
  return e.encodeBody();
}

}  // namespace

ParkingFunctions RefParking::functionsFor(ValType type) {
  type.nullable = true;
  const std::string key = toString(type);
  if (auto it = byType_.find(key); it != byType_.end()) return it->second;

  m_.tables.emplace_back();
  m_.tables.back().type.elem = type;
  const uint32_t tableIndex = m_.numTables() - 1;
  Global mark;
  mark.type = {ValType::i32(), true};
  mark.init = zeroConst(ValType::i32());
  m_.globals.push_back(mark);
  const uint32_t markIndex = m_.numGlobals() - 1;

  ParkingFunctions fns;
  for (bool parking : {true, false}) {
    (parking ? fns.park : fns.unpark) = m_.addFunction(
        m_.internFuncType(parking ? FuncType{{type}, {ValType::i32()}}
                                  : FuncType{{ValType::i32()}, {type}}),
        parking ? parkBody(type, tableIndex, markIndex) : unparkBody(type, tableIndex, markIndex),
        std::string(parking ? "__asyncify_park_" : "__asyncify_unpark_") + key);
  }
  m_.markChanged(SectionId::Type);
  m_.markChanged(SectionId::Table);
  m_.markChanged(SectionId::Global);
  byType_.emplace(key, fns);
  return fns;
}

}  // namespace asyncify
