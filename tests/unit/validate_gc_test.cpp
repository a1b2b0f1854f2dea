// GC and typed references: declared supertypes, rec group equivalence, struct/array/i31
// operators, casts and branches on casts, and GC constant expressions.
#include <gtest/gtest.h>

#include "validate_helpers.h"

namespace asyncify::test {
namespace {

const ValType kI32 = ValType::i32(), kI64 = ValType::i64();
const ValType kAnyref = ValType::ref(HeapType{HeapType::Any}, true);
const ValType kEqref = ValType::ref(HeapType{HeapType::Eq}, true);

FuncType sig(std::vector<ValType> params, std::vector<ValType> results) {
  return FuncType{std::move(params), std::move(results)};
}

std::string moduleError(const Module& m) {
  try {
    validateModule(m);
    return {};
  } catch (const Error& e) {
    return e.message();
  }
}

TEST(ValidateGcTypes, DeclaredSupertypes) {
  Module ok;
  uint32_t base = addType(ok, structSubType({field(kI32, false)}, false));
  addType(ok, structSubType({field(kI32, false), field(kI64)}, true, {base}));
  EXPECT_VALID(moduleError(ok));

  Module final;
  uint32_t f = addType(final, structSubType({field(kI32)}, true));
  addType(final, structSubType({field(kI32)}, true, {f}));
  EXPECT_INVALID(moduleError(final), "supertype 0 is final");

  Module mismatch;
  uint32_t s = addType(mismatch, structSubType({field(kI32)}, false));
  addType(mismatch, structSubType({field(kI64)}, true, {s}));
  EXPECT_INVALID(moduleError(mismatch), "does not match its supertype 0");

  // Mutable fields are invariant, immutable ones covariant.
  Module variance;
  uint32_t a = addType(variance, structSubType({field(kAnyref, false)}, false));
  addType(variance, structSubType({field(kEqref, false)}, true, {a}));
  EXPECT_VALID(moduleError(variance));
  Module invariant;
  uint32_t b = addType(invariant, structSubType({field(kAnyref, true)}, false));
  addType(invariant, structSubType({field(kEqref, true)}, true, {b}));
  EXPECT_INVALID(moduleError(invariant), "does not match its supertype");

  Module later;
  SubType forward = structSubType({}, true, {1});
  addType(later, forward);
  addType(later, structSubType({}, false));
  EXPECT_INVALID(moduleError(later), "is not defined before it");

  Module kinds;
  uint32_t fn = addType(kinds, funcSubType({}, {}));
  kinds.types[fn].final = false;
  addType(kinds, structSubType({}, true, {fn}));
  EXPECT_INVALID(moduleError(kinds), "kind differs");

  // Function subtypes: contravariant parameters, covariant results.
  Module funcs;
  SubType super = funcSubType({kEqref}, {kAnyref});
  super.final = false;
  uint32_t sup = addType(funcs, super);
  SubType sub = funcSubType({kAnyref}, {kEqref});
  sub.supertypes = {sup};
  addType(funcs, sub);
  EXPECT_VALID(moduleError(funcs));

  Module dangling;
  addType(dangling, structSubType({field(ref(5, true))}));
  EXPECT_INVALID(moduleError(dangling), "refers to undefined type");
}

TEST(ValidateGcTypes, IdenticalRecGroupsDefineTheSameTypes) {
  Module m;
  // Two rec groups, each a struct whose field refers to itself.
  uint32_t g1 = addRecGroup(m, {structSubType({field(ValType::ref(HeapType::index(0), true))})});
  uint32_t g2 = addRecGroup(m, {structSubType({field(ValType::ref(HeapType::index(1), true))})});
  uint32_t other = addRecGroup(m, {structSubType({field(kI32)})});
  Body b;
  b.locals = {ref(g2, true)};
  b << ins(Op::LocalGet, 0);
  EXPECT_VALID(check(m, sig({}, {ref(g1, true)}), b));
  Body c;
  c.locals = {ref(other, true)};
  c << ins(Op::LocalGet, 0);
  EXPECT_INVALID(check(m, sig({}, {ref(g1, true)}), c), "type mismatch");
  // Field access through the equivalent type.
  Body d;
  d.locals = {ref(g2, true)};
  d << ins(Op::LocalGet, 0) << ins(Op::StructGet, g1, 0);
  EXPECT_VALID(check(m, sig({}, {ref(g2, true)}), d));
}

TEST(ValidateGcOps, Structs) {
  Module m;
  uint32_t s = addType(m, structSubType({field(kI32), packedField(StorageType::I8, false)}));
  EXPECT_VALID(check(m, sig({}, {ref(s)}), Body() << i32c(1) << i32c(2) << ins(Op::StructNew, s)));
  EXPECT_INVALID(check(m, sig({}, {ref(s)}), Body() << i32c(1) << ins(Op::StructNew, s)),
                 "stack is empty");
  EXPECT_VALID(check(m, sig({ref(s, true)}, {kI32}),
                     Body() << ins(Op::LocalGet, 0) << ins(Op::StructGetU, s, 1)));
  EXPECT_INVALID(check(m, sig({ref(s, true)}, {kI32}),
                       Body() << ins(Op::LocalGet, 0) << ins(Op::StructGet, s, 1)),
                 "use struct.get_s or struct.get_u");
  EXPECT_INVALID(check(m, sig({ref(s, true)}, {kI32}),
                       Body() << ins(Op::LocalGet, 0) << ins(Op::StructGetS, s, 0)),
                 "not packed");
  EXPECT_INVALID(check(m, sig({ref(s, true)}, {}),
                       Body() << ins(Op::LocalGet, 0) << i32c(1) << ins(Op::StructSet, s, 1)),
                 "struct.set of immutable field 1");
  EXPECT_VALID(check(m, sig({ref(s, true)}, {}),
                     Body() << ins(Op::LocalGet, 0) << i32c(1) << ins(Op::StructSet, s, 0)));
  EXPECT_INVALID(check(m, sig({ref(s, true)}, {kI32}),
                       Body() << ins(Op::LocalGet, 0) << ins(Op::StructGet, s, 2)),
                 "field index 2 out of range");
  EXPECT_VALID(check(m, sig({}, {ref(s)}), Body() << ins(Op::StructNewDefault, s)));
  uint32_t nonNull = addType(m, structSubType({field(ref(s))}));
  EXPECT_INVALID(check(m, sig({}, {ref(nonNull)}), Body() << ins(Op::StructNewDefault, nonNull)),
                 "has a field without a default value");
  EXPECT_INVALID(check(m, sig({}, {}), Body() << ins(Op::StructNewDefault, 99) << ins(Op::Drop)),
                 "type 99 is not a struct type");
}

TEST(ValidateGcOps, Arrays) {
  Module m;
  uint32_t bytes = addType(m, arraySubType(packedField(StorageType::I8)));
  uint32_t frozen = addType(m, arraySubType(field(kI64, false)));
  uint32_t anys = addType(m, arraySubType(field(kAnyref)));
  uint32_t eqs = addType(m, arraySubType(field(kEqref)));
  EXPECT_VALID(
      check(m, sig({}, {ref(bytes)}), Body() << i32c(0) << i32c(4) << ins(Op::ArrayNew, bytes)));
  EXPECT_VALID(check(m, sig({}, {ref(frozen)}),
                     Body() << i64c(1) << i64c(2) << ins(Op::ArrayNewFixed, frozen, 2)));
  EXPECT_VALID(check(m, sig({ref(bytes, true)}, {kI32}),
                     Body() << ins(Op::LocalGet, 0) << i32c(0) << ins(Op::ArrayGetS, bytes)));
  EXPECT_INVALID(check(m, sig({ref(bytes, true)}, {kI32}),
                       Body() << ins(Op::LocalGet, 0) << i32c(0) << ins(Op::ArrayGet, bytes)),
                 "use array.get_s or array.get_u");
  EXPECT_INVALID(
      check(m, sig({ref(frozen, true)}, {}),
            Body() << ins(Op::LocalGet, 0) << i32c(0) << i64c(0) << ins(Op::ArraySet, frozen)),
      "array type 1 is immutable");
  EXPECT_VALID(check(m, sig({ref(frozen, true)}, {kI32}),
                     Body() << ins(Op::LocalGet, 0) << ins(Op::ArrayLen)));
  EXPECT_VALID(check(m, sig({ref(bytes, true)}, {}),
                     Body() << ins(Op::LocalGet, 0) << i32c(0) << i32c(7) << i32c(3)
                            << ins(Op::ArrayFill, bytes)));
  // array.copy: the source element type must fit the destination's.
  Body copy;
  copy << ins(Op::LocalGet, 0) << i32c(0) << ins(Op::LocalGet, 1) << i32c(0) << i32c(1)
       << ins(Op::ArrayCopy, anys, eqs);
  EXPECT_VALID(check(m, sig({ref(anys, true), ref(eqs, true)}, {}), copy));
  Body backwards;
  backwards << ins(Op::LocalGet, 1) << i32c(0) << ins(Op::LocalGet, 0) << i32c(0) << i32c(1)
            << ins(Op::ArrayCopy, eqs, anys);
  EXPECT_INVALID(check(m, sig({ref(anys, true), ref(eqs, true)}, {}), backwards),
                 "does not fit destination array type");
  // Data and element segments.
  EXPECT_INVALID(check(m, sig({}, {ref(bytes)}),
                       Body() << i32c(0) << i32c(1) << ins(Op::ArrayNewData, bytes, 0)),
                 "requires a data count section");
  m.data.push_back(DataSegment{});
  m.data.back().mode = SegmentMode::Passive;
  m.dataCount = 1;
  EXPECT_VALID(check(m, sig({}, {ref(bytes)}),
                     Body() << i32c(0) << i32c(1) << ins(Op::ArrayNewData, bytes, 0)));
  EXPECT_INVALID(check(m, sig({}, {ref(anys)}),
                       Body() << i32c(0) << i32c(1) << ins(Op::ArrayNewData, anys, 0)),
                 "holds references");
  ElemSegment seg;
  seg.mode = SegmentMode::Passive;
  seg.usesExprs = true;
  seg.type = ValType::ref(HeapType{HeapType::I31}, true);
  m.elems.push_back(seg);
  EXPECT_VALID(check(m, sig({}, {ref(anys)}),
                     Body() << i32c(0) << i32c(1) << ins(Op::ArrayNewElem, anys, 0)));
  EXPECT_INVALID(check(m, sig({}, {ref(bytes)}),
                       Body() << i32c(0) << i32c(1) << ins(Op::ArrayNewElem, bytes, 0)),
                 "does not fit array type");
}

TEST(ValidateGcOps, I31AndConversions) {
  Module m;
  EXPECT_VALID(check(m, sig({}, {kI32}), Body() << i32c(5) << ins(Op::RefI31) << ins(Op::I31GetS)));
  EXPECT_VALID(check(m, sig({kEqref, kEqref}, {kI32}),
                     Body() << ins(Op::LocalGet, 0) << ins(Op::LocalGet, 1) << ins(Op::RefEq)));
  EXPECT_INVALID(check(m, sig({kAnyref, kEqref}, {kI32}),
                       Body() << ins(Op::LocalGet, 0) << ins(Op::LocalGet, 1) << ins(Op::RefEq)),
                 "type mismatch in ref.eq: expected eqref, got anyref");
  // Conversions keep nullability.
  EXPECT_VALID(check(m,
                     sig({ValType::ref(HeapType{HeapType::Extern}, false)},
                         {ValType::ref(HeapType{HeapType::Any}, false)}),
                     Body() << ins(Op::LocalGet, 0) << ins(Op::AnyConvertExtern)));
  EXPECT_INVALID(
      check(m, sig({ValType::externref()}, {ValType::ref(HeapType{HeapType::Any}, false)}),
            Body() << ins(Op::LocalGet, 0) << ins(Op::AnyConvertExtern)),
      "type mismatch");
  EXPECT_VALID(
      check(m, sig({kI32}, {ValType::externref()}),
            Body() << ins(Op::LocalGet, 0) << ins(Op::RefI31) << ins(Op::ExternConvertAny)));
}

TEST(ValidateGcOps, CastsStayInTheirHierarchy) {
  Module m;
  uint32_t s = addType(m, structSubType({field(kI32)}));
  EXPECT_VALID(check(m, sig({kAnyref}, {ref(s)}),
                     Body() << ins(Op::LocalGet, 0) << withHeap(Op::RefCast, HeapType::index(s))));
  EXPECT_VALID(
      check(m, sig({kAnyref}, {ref(s, true)}),
            Body() << ins(Op::LocalGet, 0) << withHeap(Op::RefCastNull, HeapType::index(s))));
  EXPECT_INVALID(
      check(m, sig({kAnyref}, {ref(s)}),
            Body() << ins(Op::LocalGet, 0) << withHeap(Op::RefCastNull, HeapType::index(s))),
      "type mismatch");
  EXPECT_INVALID(check(m, sig({ValType::funcref()}, {kI32}),
                       Body() << ins(Op::LocalGet, 0) << withHeap(Op::RefTest, HeapType::index(s))),
                 "are unrelated");
  EXPECT_VALID(
      check(m, sig({kEqref}, {kI32}),
            Body() << ins(Op::LocalGet, 0) << withHeap(Op::RefTestNull, HeapType{HeapType::I31})));
}

Instr brOnCast(Op op, uint32_t label, ValType source, ValType target) {
  Instr i = ins(op, label, static_cast<uint32_t>(target.heap.code));
  i.type = source;
  i.lane = static_cast<uint8_t>((source.nullable ? 1 : 0) | (target.nullable ? 2 : 0));
  return i;
}

TEST(ValidateGcOps, BranchesOnCasts) {
  Module m;
  uint32_t s = addType(m, structSubType({field(kI32)}));
  // (block (result (ref $s)) (br_on_cast 0 anyref (ref $s) (local.get 0)) -> anyref; drop; ...)
  Body onCast;
  onCast << blockOf(Op::Block, valueResult(ref(s))) << ins(Op::LocalGet, 0)
         << brOnCast(Op::BrOnCast, 0, kAnyref, ref(s)) << ins(Op::Drop) << ins(Op::Unreachable)
         << ins(Op::End);
  EXPECT_VALID(check(m, sig({kAnyref}, {ref(s)}), onCast));
  // The fall-through of br_on_cast_fail has the target type.
  Body onFail;
  onFail << blockOf(Op::Block, valueResult(kAnyref)) << ins(Op::LocalGet, 0)
         << brOnCast(Op::BrOnCastFail, 0, kAnyref, ref(s)) << ins(Op::StructGet, s, 0)
         << ins(Op::Drop) << ins(Op::Unreachable) << ins(Op::End) << ins(Op::Drop);
  EXPECT_VALID(check(m, sig({kAnyref}, {}), onFail));
  // The label must take the sent type.
  Body badLabel;
  badLabel << blockOf(Op::Block, valueResult(kI32)) << ins(Op::LocalGet, 0)
           << brOnCast(Op::BrOnCast, 0, kAnyref, ref(s)) << ins(Op::Drop) << ins(Op::Unreachable)
           << ins(Op::End) << ins(Op::Drop);
  EXPECT_INVALID(check(m, sig({kAnyref}, {}), badLabel), "which does not end with a supertype");
  // The target must be a subtype of the source.
  Body unrelated;
  unrelated << blockOf(Op::Block, valueResult(kAnyref)) << ins(Op::LocalGet, 0)
            << brOnCast(Op::BrOnCast, 0, ref(s, true), kAnyref) << ins(Op::Drop)
            << ins(Op::Unreachable) << ins(Op::End) << ins(Op::Drop);
  EXPECT_INVALID(check(m, sig({ref(s, true)}, {}), unrelated),
                 "is not a subtype of the source type");
}

TEST(ValidateGcOps, SubtypesFlowIntoSupertypes) {
  Module m;
  uint32_t base = addType(m, structSubType({field(kI32, false)}, false));
  uint32_t derived =
      addType(m, structSubType({field(kI32, false), field(kI64, false)}, true, {base}));
  uint32_t takesBase = addType(m, funcSubType({ref(base, true)}, {}));
  uint32_t f = addFunction(m, takesBase);
  EXPECT_VALID(
      check(m, sig({ref(derived)}, {}), Body() << ins(Op::LocalGet, 0) << ins(Op::Call, f)));
  EXPECT_INVALID(check(m, sig({ref(base)}, {ref(derived)}), Body() << ins(Op::LocalGet, 0)),
                 "type mismatch in end");
  // A derived struct is an eqref and an anyref, but no funcref.
  EXPECT_VALID(check(m, sig({ref(derived)}, {kEqref}), Body() << ins(Op::LocalGet, 0)));
  EXPECT_INVALID(
      check(m, sig({ref(derived)}, {ValType::funcref()}), Body() << ins(Op::LocalGet, 0)),
      "expected funcref");
  // Null of the right hierarchy fits; of another does not.
  EXPECT_VALID(check(m, sig({}, {ref(derived, true)}),
                     Body() << withHeap(Op::RefNull, HeapType{HeapType::None})));
  EXPECT_INVALID(check(m, sig({}, {ref(derived, true)}),
                       Body() << withHeap(Op::RefNull, HeapType{HeapType::NoFunc})),
                 "type mismatch");
}

TEST(ValidateGcConstExprs, AllocationsAndGlobalReads) {
  Module m;
  uint32_t s = addType(m, structSubType({field(kI32, false)}));
  Global first;
  first.type = GlobalType{ref(s), false};
  first.init.bytes = {0x41, 0x07, 0xfb, 0x00, static_cast<uint8_t>(s), 0x0b};  // struct.new $s
  m.globals.push_back(first);
  Global second;
  second.type = GlobalType{kAnyref, false};
  second.init.bytes = {0x23, 0x00, 0x0b};  // global.get 0: an earlier immutable global
  m.globals.push_back(second);
  EXPECT_VALID(moduleError(m));
  Global reversed;
  reversed.type = GlobalType{kAnyref, false};
  reversed.init.bytes = {0x23, 0x03, 0x0b};  // a later global
  m.globals.push_back(reversed);
  Global last;
  last.type = GlobalType{kI32, false};
  last.init.bytes = {0x41, 0x00, 0x0b};
  m.globals.push_back(last);
  EXPECT_INVALID(moduleError(m),
                 "global 2 initializer: global.get of global 3, which is not visible");
  m.globals.pop_back();
  m.globals.pop_back();
  Global arrays;
  uint32_t a = addType(m, arraySubType(field(kI32, false)));
  arrays.type = GlobalType{ref(a), false};
  arrays.init.bytes = {0x41, 0x01, 0x41, 0x02, 0xfb, 0x08, static_cast<uint8_t>(a), 0x02, 0x0b};
  m.globals.push_back(arrays);
  EXPECT_VALID(moduleError(m));
  Global i31;
  i31.type = GlobalType{ValType::ref(HeapType{HeapType::I31}, false), false};
  i31.init.bytes = {0x41, 0x01, 0xfb, 0x1c, 0x0b};
  m.globals.push_back(i31);
  EXPECT_VALID(moduleError(m));
  Global notConst;
  notConst.type = GlobalType{kI32, false};
  notConst.init.bytes = {0x41, 0x01, 0xfb, 0x1c, 0xfb, 0x1d, 0x0b};  // i31.get_s
  m.globals.push_back(notConst);
  EXPECT_INVALID(moduleError(m), "i31.get_s is not a constant instruction");
}

}  // namespace
}  // namespace asyncify::test
