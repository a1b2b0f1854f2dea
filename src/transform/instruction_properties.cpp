#include "instruction_properties.h"

namespace asyncify::instrumenting {

bool isCallOp(Op op) {
  switch (op) {
    case Op::Call:
    case Op::ReturnCall:
    case Op::CallIndirect:
    case Op::ReturnCallIndirect:
    case Op::CallRef:
    case Op::ReturnCallRef:
      return true;
    default:
      return false;
  }
}

bool isReturnCall(Op op) {
  return op == Op::ReturnCall || op == Op::ReturnCallIndirect || op == Op::ReturnCallRef;
}

Op plainCallOf(Op op) {
  if (op == Op::ReturnCall) return Op::Call;
  if (op == Op::ReturnCallIndirect) return Op::CallIndirect;
  if (op == Op::ReturnCallRef) return Op::CallRef;
  return op;
}

std::optional<Recomputable> recomputable(Op op) {
  switch (op) {
    case Op::LocalGet:
    case Op::GlobalGet:
    case Op::I32Const:
    case Op::I64Const:
    case Op::F32Const:
    case Op::F64Const:
    case Op::RefNull:
    case Op::RefFunc:
    case Op::Nop:
      return Recomputable{0, false};
    case Op::LocalTee:
      return Recomputable{1, false, true};
    case Op::I32Eqz:
    case Op::I64Eqz:
    case Op::I32Clz:
    case Op::I32Ctz:
    case Op::I32Popcnt:
    case Op::I64Clz:
    case Op::I64Ctz:
    case Op::I64Popcnt:
    case Op::I32Extend8S:
    case Op::I32Extend16S:
    case Op::I64Extend8S:
    case Op::I64Extend16S:
    case Op::I64Extend32S:
    case Op::I32WrapI64:
    case Op::I64ExtendI32S:
    case Op::I64ExtendI32U:
      return Recomputable{1, false};
    case Op::I32Add:
    case Op::I32Sub:
    case Op::I32Mul:
    case Op::I32And:
    case Op::I32Or:
    case Op::I32Xor:
    case Op::I32Shl:
    case Op::I32ShrS:
    case Op::I32ShrU:
    case Op::I32Rotl:
    case Op::I32Rotr:
    case Op::I32Eq:
    case Op::I32Ne:
    case Op::I32LtS:
    case Op::I32LtU:
    case Op::I32GtS:
    case Op::I32GtU:
    case Op::I32LeS:
    case Op::I32LeU:
    case Op::I32GeS:
    case Op::I32GeU:
    case Op::I64Add:
    case Op::I64Sub:
    case Op::I64Mul:
    case Op::I64And:
    case Op::I64Or:
    case Op::I64Xor:
    case Op::I64Shl:
    case Op::I64ShrS:
    case Op::I64ShrU:
    case Op::I64Rotl:
    case Op::I64Rotr:
    case Op::I64Eq:
    case Op::I64Ne:
    case Op::I64LtS:
    case Op::I64LtU:
    case Op::I64GtS:
    case Op::I64GtU:
    case Op::I64LeS:
    case Op::I64LeU:
    case Op::I64GeS:
    case Op::I64GeU:
      return Recomputable{2, false};
    case Op::Select:
      return Recomputable{3, false};
    case Op::I32Load:
    case Op::I64Load:
    case Op::F32Load:
    case Op::F64Load:
    case Op::I32Load8S:
    case Op::I32Load8U:
    case Op::I32Load16S:
    case Op::I32Load16U:
    case Op::I64Load8S:
    case Op::I64Load8U:
    case Op::I64Load16S:
    case Op::I64Load16U:
    case Op::I64Load32S:
    case Op::I64Load32U:
      return Recomputable{1, true};
    default:
      return std::nullopt;
  }
}

// Moving such leading statements of a sequence ahead of its test keeps the test off the top of
// loop bodies, where V8 was measured to pay for it most (an interpreter loop: +45% becomes
// about +10%).
bool reexecutable(Op op) {
  if (op == Op::LocalSet || op == Op::LocalTee || op == Op::Drop || op == Op::Select) return true;
  auto r = recomputable(op);
  return r && !r->load;
}

std::optional<unsigned> operandsConsumed(const Module& m, const Instr& ins) {
  const std::string_view sig = ins.info().signature;
  if (sig != "*") {
    size_t colon = sig.find(':');
    return colon == std::string_view::npos ? std::nullopt : std::optional<unsigned>(colon);
  }
  switch (ins.op) {
    case Op::LocalGet:
    case Op::GlobalGet:
    case Op::RefNull:
    case Op::RefFunc:
    case Op::Nop:
      return 0;
    case Op::LocalSet:
    case Op::LocalTee:
    case Op::GlobalSet:
    case Op::Drop:
      return 1;
    case Op::Select:
      return 3;
    case Op::Call:
      return static_cast<unsigned>(m.functionType(ins.a).params.size());
    case Op::CallIndirect:
      return static_cast<unsigned>(m.funcType(ins.a).params.size()) + 1;
    default:
      return std::nullopt;
  }
}

}  // namespace asyncify::instrumenting
