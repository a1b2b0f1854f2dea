// Typing rules of memory and table instructions that are not plain signatures: address types
// follow each memory's or table's index type (memory64 / table64).
#include <string>

#include "function_checker.h"

namespace asyncify::validate {
namespace {
ValType smallerAddress(ValType a, ValType b) {
  return a.kind == ValType::I64 && b.kind == ValType::I64 ? ValType::i64() : ValType::i32();
}
}  // namespace

void FunctionChecker::checkMemory(const Instr& in, VOp vop) {
  switch (vop) {
    case VOp::MemorySize:
      stack_.push(addressOf(in.a));
      return;
    case VOp::MemoryGrow: {
      ValType addr = addressOf(in.a);
      stack_.pop(addr);
      stack_.push(addr);
      return;
    }
    case VOp::MemoryFill: {
      ValType addr = addressOf(in.a);
      stack_.pop(addr);
      stack_.pop(ValType::i32());
      stack_.pop(addr);
      return;
    }
    case VOp::MemoryCopy: {
      ValType dst = addressOf(in.a), src = addressOf(in.b);
      stack_.pop(smallerAddress(dst, src));
      stack_.pop(src);
      stack_.pop(dst);
      return;
    }
    case VOp::MemoryInit: {
      checkDataIndex(in.a);
      ValType addr = addressOf(in.b);
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      stack_.pop(addr);
      return;
    }
    case VOp::DataDrop:
      checkDataIndex(in.a);
      return;
    default:
      break;
  }
  stack_.fail("internal: no memory rule for " + stack_.opName());
}

void FunctionChecker::checkTable(const Instr& in, VOp vop) {
  switch (vop) {
    case VOp::ElemDrop:
      elemSegmentType(in.a);
      return;
    case VOp::TableInit: {
      ValType segment = elemSegmentType(in.a);
      const TableType& table = tableAt(in.b);
      if (!types_.matches(segment, table.elem))
        stack_.fail("type mismatch in table.init: element segment " + std::to_string(in.a) +
                    " of type " + typeName(segment) + " does not fit table " +
                    std::to_string(in.b) + " of type " + typeName(table.elem));
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      stack_.pop(ModuleContext::addressType(table.limits.is64));
      return;
    }
    case VOp::TableCopy: {
      const TableType& dst = tableAt(in.a);
      const TableType& src = tableAt(in.b);
      if (!types_.matches(src.elem, dst.elem))
        stack_.fail("type mismatch in table.copy: table " + std::to_string(in.b) + " of type " +
                    typeName(src.elem) + " does not fit table " + std::to_string(in.a) +
                    " of type " + typeName(dst.elem));
      ValType dstAddr = ModuleContext::addressType(dst.limits.is64);
      ValType srcAddr = ModuleContext::addressType(src.limits.is64);
      stack_.pop(smallerAddress(dstAddr, srcAddr));
      stack_.pop(srcAddr);
      stack_.pop(dstAddr);
      return;
    }
    default:
      break;
  }
  const TableType& table = tableAt(in.a);
  ValType addr = ModuleContext::addressType(table.limits.is64);
  switch (vop) {
    case VOp::TableGet:
      stack_.pop(addr);
      stack_.push(table.elem);
      return;
    case VOp::TableSet:
      stack_.pop(table.elem);
      stack_.pop(addr);
      return;
    case VOp::TableSize:
      stack_.push(addr);
      return;
    case VOp::TableGrow:
      stack_.pop(addr);
      stack_.pop(table.elem);
      stack_.push(addr);
      return;
    case VOp::TableFill:
      stack_.pop(addr);
      stack_.pop(table.elem);
      stack_.pop(addr);
      return;
    default:
      break;
  }
  stack_.fail("internal: no table rule for " + stack_.opName());
}

}  // namespace asyncify::validate
