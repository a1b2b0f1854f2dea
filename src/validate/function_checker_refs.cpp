// Typing rules of reference instructions, branches on references, and GC structs and arrays.
#include <string>

#include "function_checker.h"

namespace asyncify::validate {
namespace {
using H = HeapType;
ValType nonNull(HeapType h) {
  return ValType::ref(h, false);
}
ValType nullable(HeapType h) {
  return ValType::ref(h, true);
}
bool isBottom(ValType t) {
  return t.kind == ValType::Bottom;
}
}  // namespace

void FunctionChecker::checkRef(const Instr& in, VOp vop) {
  switch (vop) {
    case VOp::RefNull:
      checkHeap(in.type.heap);
      stack_.push(nullable(in.type.heap));
      return;
    case VOp::RefIsNull:
      stack_.popRef();
      stack_.push(ValType::i32());
      return;
    case VOp::RefFunc: {
      const uint32_t* typeIndex = ctx_.funcTypeIndex(in.a);
      if (!typeIndex)
        stack_.fail("ref.func: function index " + std::to_string(in.a) + " out of range (" +
                    std::to_string(ctx_.numFunctions()) + " function(s))");
      if (!constExpr_ && !ctx_.isDeclaredRef(in.a))
        stack_.fail("ref.func: function " + std::to_string(in.a) +
                    " is not declared in an element segment, export or global initializer");
      stack_.push(nonNull(H::index(*typeIndex)));
      return;
    }
    case VOp::RefEq:
      stack_.pop(nullable(H{H::Eq}));
      stack_.pop(nullable(H{H::Eq}));
      stack_.push(ValType::i32());
      return;
    case VOp::RefAsNonNull: {
      ValType rt = stack_.popRef();
      stack_.push(nonNull(rt.heap));
      return;
    }
    case VOp::RefTest:
    case VOp::RefTestNull:
    case VOp::RefCast:
    case VOp::RefCastNull: {
      HeapType target = in.type.heap;
      checkHeap(target);
      ValType rt = stack_.popRef();
      if (rt.heap.code != kBottomHeap && !(types_.top(rt.heap) == types_.top(target)))
        stack_.fail("type mismatch in " + stack_.opName() + ": " + typeName(rt) +
                    " and the target " + heapTypeName(target) + " are unrelated");
      if (vop == VOp::RefTest || vop == VOp::RefTestNull)
        stack_.push(ValType::i32());
      else
        stack_.push(ValType::ref(target, vop == VOp::RefCastNull));
      return;
    }
    case VOp::AnyConvertExtern: {
      ValType t = stack_.pop(nullable(H{H::Extern}));
      stack_.push(ValType::ref(H{H::Any}, !isBottom(t) && t.nullable));
      return;
    }
    case VOp::ExternConvertAny: {
      ValType t = stack_.pop(nullable(H{H::Any}));
      stack_.push(ValType::ref(H{H::Extern}, !isBottom(t) && t.nullable));
      return;
    }
    case VOp::RefI31:
      stack_.pop(ValType::i32());
      stack_.push(nonNull(H{H::I31}));
      return;
    case VOp::I31GetS:
    case VOp::I31GetU:
      stack_.pop(nullable(H{H::I31}));
      stack_.push(ValType::i32());
      return;
    default:
      break;
  }
  stack_.fail("internal: no reference rule for " + stack_.opName());
}

void FunctionChecker::checkBranchOnRef(const Instr& in, VOp vop) {
  if (vop == VOp::BrOnNull) {
    ValType rt = stack_.popRef();
    stack_.retype(stack_.frame(in.a).labelTypes());
    stack_.push(nonNull(rt.heap));
    return;
  }
  // The other forms send a reference to the label: it is the label's last type.
  ValType sent, kept;
  if (vop == VOp::BrOnNonNull) {
    ValType rt = stack_.popRef();
    sent = nonNull(rt.heap);
  } else {
    // lane bit 0: the source is nullable; bit 1: the target is.
    ValType source = ValType::ref(in.type.heap, in.lane & 1);
    ValType target = ValType::ref(H{static_cast<int32_t>(in.b)}, (in.lane & 2) != 0);
    checkHeap(source.heap);
    checkHeap(target.heap);
    if (in.lane > 3) stack_.fail(stack_.opName() + ": invalid flags " + std::to_string(in.lane));
    if (!types_.matches(target, source))
      stack_.fail(stack_.opName() + ": target type " + typeName(target) +
                  " is not a subtype of the source type " + typeName(source));
    stack_.pop(source);
    // What is left when the cast fails: the source, non-null if null passes the cast.
    ValType rest = ValType::ref(source.heap, source.nullable && !target.nullable);
    sent = vop == VOp::BrOnCast ? target : rest;
    kept = vop == VOp::BrOnCast ? rest : target;
  }
  auto label = stack_.frame(in.a).labelTypes();
  if (label.empty() || !types_.matches(sent, label.back()))
    stack_.fail("type mismatch in " + stack_.opName() + ": the label takes " + typeListName(label) +
                ", which does not end with a supertype of " + typeName(sent));
  stack_.retype(label.first(label.size() - 1));
  if (vop != VOp::BrOnNonNull) stack_.push(kept);
}

void FunctionChecker::checkStruct(const Instr& in, VOp vop) {
  const SubType& st = structType(in.a);
  ValType ref = nullable(H::index(in.a));
  switch (vop) {
    case VOp::StructNew:
      for (size_t i = st.fields.size(); i-- > 0;) stack_.pop(unpacked(st.fields[i].storage));
      stack_.push(nonNull(H::index(in.a)));
      return;
    case VOp::StructNewDefault:
      for (const auto& f : st.fields)
        if (f.storage.packed == StorageType::None && !TypeContext::defaultable(f.storage.type))
          stack_.fail("struct.new_default: type " + std::to_string(in.a) +
                      " has a field without a default value (" + typeName(f.storage.type) + ")");
      stack_.push(nonNull(H::index(in.a)));
      return;
    default:
      break;
  }
  if (in.b >= st.fields.size())
    stack_.fail(stack_.opName() + ": field index " + std::to_string(in.b) + " out of range (" +
                std::to_string(st.fields.size()) + " field(s))");
  const FieldType& field = st.fields[in.b];
  bool packed = field.storage.packed != StorageType::None;
  switch (vop) {
    case VOp::StructGet:
    case VOp::StructGetS:
    case VOp::StructGetU:
      if (packed != (vop != VOp::StructGet))
        stack_.fail(packed ? "struct.get of a packed field: use struct.get_s or struct.get_u"
                           : stack_.opName() + " of a field that is not packed");
      stack_.pop(ref);
      stack_.push(unpacked(field.storage));
      return;
    case VOp::StructSet:
      if (!field.mutable_) stack_.fail("struct.set of immutable field " + std::to_string(in.b));
      stack_.pop(unpacked(field.storage));
      stack_.pop(ref);
      return;
    default:
      break;
  }
  stack_.fail("internal: no struct rule for " + stack_.opName());
}

void FunctionChecker::checkArray(const Instr& in, VOp vop) {
  if (vop == VOp::ArrayLen) {
    stack_.pop(nullable(H{H::Array}));
    stack_.push(ValType::i32());
    return;
  }
  const SubType& at = arrayType(in.a);
  const FieldType& field = at.fields[0];
  ValType elem = unpacked(field.storage);
  ValType ref = nullable(H::index(in.a));
  bool packed = field.storage.packed != StorageType::None;
  auto requireMutable = [&] {
    if (!field.mutable_)
      stack_.fail(stack_.opName() + ": array type " + std::to_string(in.a) + " is immutable");
  };
  auto requireNumeric = [&] {
    if (!packed && field.storage.type.kind == ValType::Ref)
      stack_.fail(stack_.opName() + ": array type " + std::to_string(in.a) +
                  " holds references, not numbers or vectors");
  };
  auto requireElemSegment = [&](uint32_t segment) {
    ValType segType = elemSegmentType(segment);
    if (packed || !types_.matches(segType, field.storage.type))
      stack_.fail("type mismatch in " + stack_.opName() + ": element segment " +
                  std::to_string(segment) + " of type " + typeName(segType) +
                  " does not fit array type " + std::to_string(in.a));
  };
  switch (vop) {
    case VOp::ArrayNew:
      stack_.pop(ValType::i32());
      stack_.pop(elem);
      break;
    case VOp::ArrayNewDefault:
      if (!packed && !TypeContext::defaultable(field.storage.type))
        stack_.fail("array.new_default: the element type " + typeName(field.storage.type) +
                    " has no default value");
      stack_.pop(ValType::i32());
      break;
    case VOp::ArrayNewFixed:
      // The count comes from the code: stop once only Bottom is left to pop.
      for (uint32_t i = 0; i < in.b && !stack_.exhausted(); ++i) stack_.pop(elem);
      break;
    case VOp::ArrayNewData:
      requireNumeric();
      checkDataIndex(in.b);
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      break;
    case VOp::ArrayNewElem:
      requireElemSegment(in.b);
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      break;
    case VOp::ArrayGet:
    case VOp::ArrayGetS:
    case VOp::ArrayGetU:
      if (packed != (vop != VOp::ArrayGet))
        stack_.fail(packed ? "array.get of a packed array: use array.get_s or array.get_u"
                           : stack_.opName() + " of an array that is not packed");
      stack_.pop(ValType::i32());
      stack_.pop(ref);
      stack_.push(elem);
      return;
    case VOp::ArraySet:
      requireMutable();
      stack_.pop(elem);
      stack_.pop(ValType::i32());
      stack_.pop(ref);
      return;
    case VOp::ArrayFill:
      requireMutable();
      stack_.pop(ValType::i32());
      stack_.pop(elem);
      stack_.pop(ValType::i32());
      stack_.pop(ref);
      return;
    case VOp::ArrayCopy: {
      requireMutable();
      const SubType& src = arrayType(in.b);
      if (!types_.isStorageSubtype(src.fields[0].storage, field.storage))
        stack_.fail("type mismatch in array.copy: source array type " + std::to_string(in.b) +
                    " does not fit destination array type " + std::to_string(in.a));
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      stack_.pop(nullable(H::index(in.b)));
      stack_.pop(ValType::i32());
      stack_.pop(ref);
      return;
    }
    case VOp::ArrayInitData:
    case VOp::ArrayInitElem:
      requireMutable();
      if (vop == VOp::ArrayInitData) {
        requireNumeric();
        checkDataIndex(in.b);
      } else {
        requireElemSegment(in.b);
      }
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      stack_.pop(ValType::i32());
      stack_.pop(ref);
      return;
    default:
      stack_.fail("internal: no array rule for " + stack_.opName());
  }
  stack_.push(nonNull(H::index(in.a)));
}

}  // namespace asyncify::validate
