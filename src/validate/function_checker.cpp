// The instruction dispatch of the body type checker, plus the rules of operators with fixed
// signatures, control flow, variables and calls. References, GC, tables, memory and exceptions
// are in function_checker_*.cpp.
#include "function_checker.h"

#include <string>

#include "asyncify/binary/error.h"

namespace asyncify::validate {

FunctionChecker::FunctionChecker(const ModuleContext& ctx)
    : ctx_(ctx), types_(ctx.types()), stack_(ctx.types()), sem_(semanticsTable()) {}

void FunctionChecker::begin(const FuncType& type, std::span<const ValType> locals,
                            StackObserver* observer) {
  fn_ = &type;
  observer_ = observer;
  constExpr_ = false;
  stack_.reset(type.params, locals, type.results);
  for (ValType t : locals) checkValType(t);
}

void FunctionChecker::beginConstExpr(ValType result) {
  constType_.params.clear();
  constType_.results.assign(1, result);
  fn_ = &constType_;
  observer_ = nullptr;
  constExpr_ = true;
  stack_.reset({}, {}, constType_.results);
}

void FunctionChecker::finish(uint64_t offset) const {
  if (stack_.depth() != 0)
    throw Error("function body does not end with `end` (" + std::to_string(stack_.depth()) +
                    " block(s) still open)",
                offset);
}

void FunctionChecker::step(const Instr& in, const CodePools& pools, size_t index) {
  stack_.setCurrent(in, index);
  if (stack_.depth() == 0) stack_.fail("instruction after the end of the function");
  if (static_cast<size_t>(in.op) >= static_cast<size_t>(Op::Count_))
    stack_.fail("unknown operator " + std::to_string(static_cast<unsigned>(in.op)));
  if (observer_) {
    const Frame& f = stack_.innermost();
    observer_->beforeInstr(index, in, stack_.values(), f.height, f.unreachable);
  }
  const OpSemantics& s = sem_[static_cast<size_t>(in.op)];
  switch (s.vop) {
    case VOp::Generic:
      return checkGeneric(in, s, pools);
    case VOp::Unknown:
      stack_.fail("the validator has no typing rule for " + stack_.opName());
    case VOp::Unreachable:
    case VOp::Nop:
    case VOp::Block:
    case VOp::Loop:
    case VOp::If:
    case VOp::Else:
    case VOp::End:
    case VOp::Br:
    case VOp::BrIf:
    case VOp::BrTable:
    case VOp::Return:
      return checkControl(in, s.vop, pools);
    case VOp::Try:
    case VOp::Catch:
    case VOp::CatchAll:
    case VOp::Delegate:
    case VOp::Throw:
    case VOp::Rethrow:
    case VOp::ThrowRef:
    case VOp::TryTable:
      return checkException(in, s.vop, pools);
    case VOp::Call:
    case VOp::CallIndirect:
    case VOp::ReturnCall:
    case VOp::ReturnCallIndirect:
    case VOp::CallRef:
    case VOp::ReturnCallRef:
      return checkCall(in, s.vop);
    case VOp::Drop:
    case VOp::Select:
    case VOp::SelectTyped:
    case VOp::LocalGet:
    case VOp::LocalSet:
    case VOp::LocalTee:
    case VOp::GlobalGet:
    case VOp::GlobalSet:
      return checkVariable(in, s.vop, pools);
    case VOp::TableGet:
    case VOp::TableSet:
    case VOp::TableInit:
    case VOp::ElemDrop:
    case VOp::TableCopy:
    case VOp::TableGrow:
    case VOp::TableSize:
    case VOp::TableFill:
      return checkTable(in, s.vop);
    case VOp::MemorySize:
    case VOp::MemoryGrow:
    case VOp::MemoryInit:
    case VOp::DataDrop:
    case VOp::MemoryCopy:
    case VOp::MemoryFill:
      return checkMemory(in, s.vop);
    case VOp::RefNull:
    case VOp::RefIsNull:
    case VOp::RefFunc:
    case VOp::RefEq:
    case VOp::RefAsNonNull:
    case VOp::RefTest:
    case VOp::RefTestNull:
    case VOp::RefCast:
    case VOp::RefCastNull:
    case VOp::AnyConvertExtern:
    case VOp::ExternConvertAny:
    case VOp::RefI31:
    case VOp::I31GetS:
    case VOp::I31GetU:
      return checkRef(in, s.vop);
    case VOp::BrOnNull:
    case VOp::BrOnNonNull:
    case VOp::BrOnCast:
    case VOp::BrOnCastFail:
      return checkBranchOnRef(in, s.vop);
    case VOp::StructNew:
    case VOp::StructNewDefault:
    case VOp::StructGet:
    case VOp::StructGetS:
    case VOp::StructGetU:
    case VOp::StructSet:
      return checkStruct(in, s.vop);
    case VOp::ArrayNew:
    case VOp::ArrayNewDefault:
    case VOp::ArrayNewFixed:
    case VOp::ArrayNewData:
    case VOp::ArrayNewElem:
    case VOp::ArrayGet:
    case VOp::ArrayGetS:
    case VOp::ArrayGetU:
    case VOp::ArraySet:
    case VOp::ArrayLen:
    case VOp::ArrayFill:
    case VOp::ArrayCopy:
    case VOp::ArrayInitData:
    case VOp::ArrayInitElem:
      return checkArray(in, s.vop);
  }
  stack_.fail("the validator has no typing rule for " + stack_.opName());
}

void FunctionChecker::checkGeneric(const Instr& in, const OpSemantics& s, const CodePools& pools) {
  ValType addr = ValType::i32();
  if (s.usesMemory) {
    const MemoryType& m = memoryAt(in.a);
    addr = ModuleContext::addressType(m.limits.is64);
    if (s.memArg) {
      if (s.atomic && in.b != s.alignLog2)
        stack_.fail("alignment of " + stack_.opName() + " must equal its natural alignment (2^" +
                    std::to_string(s.alignLog2) + ")");
      if (in.b > s.alignLog2)
        stack_.fail("alignment of " + stack_.opName() + " must not be larger than natural (2^" +
                    std::to_string(in.b) + " > 2^" + std::to_string(s.alignLog2) + ")");
      if (!m.limits.is64 && in.value > 0xffffffffu)
        stack_.fail("offset of " + stack_.opName() + " out of range for a 32-bit memory");
    }
  }
  if (s.lanes && in.lane >= s.lanes)
    stack_.fail("lane index " + std::to_string(in.lane) + " out of range in " + stack_.opName());
  if (s.shuffle) {
    if (in.value >= pools.v128.size()) stack_.fail("missing shuffle lanes in " + stack_.opName());
    for (uint8_t lane : pools.v128[in.value])
      if (lane >= 32)
        stack_.fail("lane index " + std::to_string(lane) + " out of range in " + stack_.opName());
  }
  static constexpr ValType kSig[] = {ValType::i32(), ValType::i64(),  ValType::f32(),
                                     ValType::f64(), ValType::v128(), ValType::i32()};
  for (unsigned i = s.paramCount; i-- > 0;) {
    SigType p = s.params[i];
    stack_.pop(p == SigType::Addr ? addr : kSig[static_cast<unsigned>(p)]);
  }
  for (unsigned i = 0; i < s.resultCount; ++i) {
    SigType r = s.results[i];
    stack_.push(r == SigType::Addr ? addr : kSig[static_cast<unsigned>(r)]);
  }
}

BlockSig FunctionChecker::blockSig(const BlockType& bt) {
  BlockSig sig;
  switch (bt.kind) {
    case BlockType::Empty:
      break;
    case BlockType::Value:
      checkValType(bt.value);
      sig.single = true;
      sig.singleType = bt.value;
      break;
    case BlockType::Index: {
      const FuncType& f = funcTypeAt(bt.index);
      sig.params = f.params;
      sig.results = f.results;
      break;
    }
  }
  return sig;
}

void FunctionChecker::enterBlock(FrameKind kind, const BlockType& bt) {
  stack_.pushFrame(kind, blockSig(bt));
}

void FunctionChecker::checkControl(const Instr& in, VOp vop, const CodePools& pools) {
  switch (vop) {
    case VOp::Unreachable:
      stack_.markUnreachable();
      return;
    case VOp::Nop:
      return;
    case VOp::Block:
      return enterBlock(FrameKind::Block, in.block);
    case VOp::Loop:
      return enterBlock(FrameKind::Loop, in.block);
    case VOp::If: {
      BlockSig sig = blockSig(in.block);
      stack_.pop(ValType::i32());
      stack_.pushFrame(FrameKind::If, sig);
      return;
    }
    case VOp::Else: {
      if (stack_.innermost().kind != FrameKind::If) stack_.fail("else without a matching if");
      Frame f = stack_.popFrame();
      stack_.pushFrame(FrameKind::Else, continuation(f, f.paramTypes()), false);
      return;
    }
    case VOp::End: {
      Frame f = stack_.popFrame();
      if (f.kind == FrameKind::If && !types_.matchesAll(f.paramTypes(), f.resultTypes()))
        stack_.fail("type mismatch in if without else: parameters " + typeListName(f.paramTypes()) +
                    " do not match results " + typeListName(f.resultTypes()));
      if (f.kind != FrameKind::Function) stack_.pushAll(f.resultTypes());
      return;
    }
    case VOp::Br: {
      stack_.popAll(stack_.frame(in.a).labelTypes());
      stack_.markUnreachable();
      return;
    }
    case VOp::BrIf: {
      stack_.pop(ValType::i32());
      stack_.retype(stack_.frame(in.a).labelTypes());
      return;
    }
    case VOp::BrTable: {
      // b counts the targets; the default label follows them in the pool.
      uint64_t first = in.value, count = uint64_t{in.b} + 1;
      if (first + count > pools.labels.size()) stack_.fail("br_table labels missing");
      stack_.pop(ValType::i32());
      const uint32_t* labels = pools.labels.data() + first;
      size_t arity = stack_.frame(labels[count - 1]).labelTypes().size();
      for (uint64_t i = 0; i < count; ++i) {
        auto types = stack_.frame(labels[i]).labelTypes();
        if (types.size() != arity)
          stack_.fail("br_table targets have different arities (" + std::to_string(types.size()) +
                      " and " + std::to_string(arity) + ")");
        stack_.peekAll(types);
      }
      stack_.markUnreachable();
      return;
    }
    case VOp::Return:
      stack_.popAll(fn_->results);
      stack_.markUnreachable();
      return;
    default:
      break;
  }
  stack_.fail("internal: no control rule for " + stack_.opName());
}

void FunctionChecker::checkVariable(const Instr& in, VOp vop, const CodePools& pools) {
  switch (vop) {
    case VOp::Drop:
      stack_.pop();
      return;
    case VOp::Select: {
      stack_.pop(ValType::i32());
      ValType t1 = stack_.pop();
      ValType t2 = stack_.pop();
      auto plain = [](ValType t) { return t.kind <= ValType::V128 || t.kind == ValType::Bottom; };
      if (!plain(t1) || !plain(t2))
        stack_.fail("select without a type needs numeric or vector operands, got " + typeName(t2) +
                    " and " + typeName(t1));
      if (t1.kind != t2.kind && t1.kind != ValType::Bottom && t2.kind != ValType::Bottom)
        stack_.fail("type mismatch in select: operands " + typeName(t2) + " and " + typeName(t1));
      stack_.push(t1.kind == ValType::Bottom ? t2 : t1);
      return;
    }
    case VOp::SelectTyped: {
      if (in.b != 1 || in.value >= pools.types.size())
        stack_.fail("select must have exactly one result type, got " + std::to_string(in.b));
      ValType t = pools.types[in.value];
      checkValType(t);
      stack_.pop(ValType::i32());
      stack_.pop(t);
      stack_.pop(t);
      stack_.push(t);
      return;
    }
    case VOp::LocalGet: {
      ValType t = stack_.local(in.a);
      if (t.kind == ValType::Ref && !t.nullable) stack_.checkInitialized(in.a);
      stack_.push(t);
      return;
    }
    case VOp::LocalSet:
    case VOp::LocalTee: {
      ValType t = stack_.local(in.a);
      stack_.pop(t);
      stack_.setInitialized(in.a);
      if (vop == VOp::LocalTee) stack_.push(t);
      return;
    }
    case VOp::GlobalGet:
    case VOp::GlobalSet: {
      const GlobalType* g = ctx_.global(in.a);
      if (!g)
        stack_.fail(stack_.opName() + ": global index " + std::to_string(in.a) + " out of range (" +
                    std::to_string(ctx_.numGlobals()) + " global(s))");
      if (vop == VOp::GlobalGet) {
        stack_.push(g->type);
      } else {
        if (!g->mutable_) stack_.fail("global.set of immutable global " + std::to_string(in.a));
        stack_.pop(g->type);
      }
      return;
    }
    default:
      break;
  }
  stack_.fail("internal: no variable rule for " + stack_.opName());
}

void FunctionChecker::checkCall(const Instr& in, VOp vop) {
  const FuncType* callee = nullptr;
  switch (vop) {
    case VOp::Call:
    case VOp::ReturnCall: {
      if (in.a >= ctx_.numFunctions())
        stack_.fail(stack_.opName() + ": function index " + std::to_string(in.a) +
                    " out of range (" + std::to_string(ctx_.numFunctions()) + " function(s))");
      callee = &funcTypeAt(*ctx_.funcTypeIndex(in.a));
      stack_.popAll(callee->params);
      break;
    }
    case VOp::CallIndirect:
    case VOp::ReturnCallIndirect: {
      const TableType& table = tableAt(in.b);
      if (!types_.matches(table.elem, ValType::funcref()))
        stack_.fail(stack_.opName() + ": table " + std::to_string(in.b) +
                    " does not hold function references (" + typeName(table.elem) + ")");
      callee = &funcTypeAt(in.a);
      stack_.pop(ModuleContext::addressType(table.limits.is64));
      stack_.popAll(callee->params);
      break;
    }
    case VOp::CallRef:
    case VOp::ReturnCallRef: {
      callee = &funcTypeAt(in.a);
      stack_.pop(ValType::ref(HeapType::index(in.a), true));
      stack_.popAll(callee->params);
      break;
    }
    default:
      stack_.fail("internal: no call rule for " + stack_.opName());
  }
  if (vop == VOp::ReturnCall || vop == VOp::ReturnCallIndirect || vop == VOp::ReturnCallRef) {
    if (!types_.matchesAll(callee->results, fn_->results))
      stack_.fail(stack_.opName() + ": callee results " + typeListName(callee->results) +
                  " do not match the function's results " + typeListName(fn_->results));
    stack_.markUnreachable();
    return;
  }
  stack_.pushAll(callee->results);
}

// Index lookups.

const FuncType& FunctionChecker::funcTypeAt(uint32_t typeIndex) {
  const SubType* t = types_.type(typeIndex);
  if (!t)
    stack_.fail(stack_.opName() + ": type index " + std::to_string(typeIndex) + " out of range (" +
                std::to_string(types_.typeCount()) + " type(s))");
  if (t->kind != SubType::Func)
    stack_.fail(stack_.opName() + ": type " + std::to_string(typeIndex) +
                " is not a function type");
  return t->func;
}

const SubType& FunctionChecker::structType(uint32_t typeIndex) {
  const SubType* t = types_.type(typeIndex);
  if (!t || t->kind != SubType::Struct)
    stack_.fail(stack_.opName() + ": type " + std::to_string(typeIndex) + " is not a struct type");
  return *t;
}

const SubType& FunctionChecker::arrayType(uint32_t typeIndex) {
  const SubType* t = types_.type(typeIndex);
  if (!t || t->kind != SubType::Array)
    stack_.fail(stack_.opName() + ": type " + std::to_string(typeIndex) + " is not an array type");
  return *t;
}

const MemoryType& FunctionChecker::memoryAt(uint32_t index) {
  const MemoryType* m = ctx_.memory(index);
  if (!m)
    stack_.fail(stack_.opName() + ": memory index " + std::to_string(index) + " out of range (" +
                std::to_string(ctx_.numMemories()) + " memory(ies))");
  return *m;
}

const TableType& FunctionChecker::tableAt(uint32_t index) {
  const TableType* t = ctx_.table(index);
  if (!t)
    stack_.fail(stack_.opName() + ": table index " + std::to_string(index) + " out of range (" +
                std::to_string(ctx_.numTables()) + " table(s))");
  return *t;
}

const FuncType& FunctionChecker::tagAt(uint32_t index) {
  const FuncType* t = ctx_.tagType(index);
  if (!t)
    stack_.fail(stack_.opName() + ": tag index " + std::to_string(index) + " out of range (" +
                std::to_string(ctx_.numTags()) + " tag(s))");
  return *t;
}

ValType FunctionChecker::elemSegmentType(uint32_t index) {
  if (index >= ctx_.numElems())
    stack_.fail(stack_.opName() + ": element segment index " + std::to_string(index) +
                " out of range (" + std::to_string(ctx_.numElems()) + " segment(s))");
  return ctx_.elemType(index);
}

void FunctionChecker::checkDataIndex(uint32_t index) {
  if (!ctx_.module().dataCount) stack_.fail(stack_.opName() + " requires a data count section");
  if (index >= *ctx_.module().dataCount)
    stack_.fail(stack_.opName() + ": data segment index " + std::to_string(index) +
                " out of range (" + std::to_string(*ctx_.module().dataCount) + " segment(s))");
}

void FunctionChecker::checkHeap(HeapType h) {
  if (!types_.validHeap(h)) stack_.fail(stack_.opName() + ": invalid heap type " + heapTypeName(h));
}

void FunctionChecker::checkValType(ValType t) {
  if (!types_.validValType(t)) stack_.fail("invalid value type " + typeName(t));
}

}  // namespace asyncify::validate
