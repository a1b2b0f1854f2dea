// Body type checking through validateCode on instruction vectors built in memory (offsets 0),
// and through whole binaries: control frames, deep nesting, locals, calls, exceptions, typed
// function references, error offsets, and what the StackObserver sees.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "asyncify/binary/reader.h"
#include "validate_helpers.h"
#include "wasm_builder.h"

namespace asyncify::test {
namespace {

const ValType kI32 = ValType::i32(), kI64 = ValType::i64();

FuncType sig(std::vector<ValType> params, std::vector<ValType> results) {
  return FuncType{std::move(params), std::move(results)};
}

TEST(ValidateCode, SimpleOperatorsUseTheTableSignatures) {
  Module m;
  EXPECT_VALID(check(m, sig({}, {kI32}), Body() << i32c(1) << i32c(2) << ins(Op::I32Add)));
  EXPECT_INVALID(check(m, sig({}, {kI32}), Body() << i32c(1) << i64c(2) << ins(Op::I32Add)),
                 "type mismatch in i32.add: expected i32, got i64");
  EXPECT_INVALID(
      check(m, sig({}, {kI32}), Body() << i64c(1) << ins(Op::I32WrapI64) << ins(Op::I64Eqz)),
      "type mismatch in i64.eqz: expected i64, got i32");
  EXPECT_INVALID(check(m, sig({}, {}), Body() << ins(Op::Drop)), "stack is empty");
}

TEST(ValidateCode, EveryOperatorHasATypingRule) {
  Module m;
  for (size_t i = 0; i < static_cast<size_t>(Op::Count_); ++i) {
    Body b;
    b << ins(static_cast<Op>(i));
    std::string message = check(m, sig({}, {}), b);
    EXPECT_EQ(message.find("no typing rule"), std::string::npos) << message;
    EXPECT_EQ(message.find("internal"), std::string::npos) << message;
  }
}

TEST(ValidateCode, BlockTypesWithParamsAndResults) {
  Module m;
  uint32_t pair = addType(m, funcSubType({kI32, kI32}, {kI32}));
  Body ok;
  ok << i32c(1) << i32c(2) << blockOf(Op::Block, typeIndex(pair)) << ins(Op::I32Add) << ins(Op::End)
     << blockOf(Op::Loop, typeIndex(addType(m, funcSubType({kI32}, {kI32})))) << ins(Op::End);
  EXPECT_VALID(check(m, sig({}, {kI32}), ok));
  Body missing;
  missing << i32c(1) << blockOf(Op::Block, typeIndex(pair)) << ins(Op::I32Add) << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {kI32}), missing), "block");
  Body notFunc;
  notFunc << blockOf(Op::Block, typeIndex(99)) << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {}), notFunc), "type index 99 out of range");
}

TEST(ValidateCode, IfElseAndBranches) {
  Module m;
  Body b;
  b << ins(Op::LocalGet, 0) << blockOf(Op::If, valueResult(kI32)) << i32c(1) << ins(Op::Else)
    << i32c(2) << ins(Op::End);
  EXPECT_VALID(check(m, sig({kI32}, {kI32}), b));
  Body noElse;
  noElse << i32c(0) << blockOf(Op::If, valueResult(kI32)) << i32c(1) << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {kI32}), noElse), "if without else");
  Body elseAlone;
  elseAlone << ins(Op::Else);
  EXPECT_INVALID(check(m, sig({}, {}), elseAlone), "else without a matching if");
  Body table;
  table << blockOf(Op::Block, valueResult(kI32)) << i32c(5) << ins(Op::LocalGet, 0) << ins(Op::Nop);
  table.brTable({0, 1}, 0);
  table << ins(Op::End);
  EXPECT_VALID(check(m, sig({kI32}, {kI32}), table));
  Body far;
  far << ins(Op::Br, 2);
  EXPECT_INVALID(check(m, sig({}, {}), far), "br depth 2 out of range");
}

TEST(ValidateCode, PolymorphicStackAfterUnreachable) {
  Module m;
  EXPECT_VALID(check(m, sig({}, {kI32}), Body() << ins(Op::Unreachable) << ins(Op::I32Add)));
  EXPECT_VALID(check(m, sig({}, {kI64}), Body() << ins(Op::Unreachable) << ins(Op::Select)));
  EXPECT_INVALID(
      check(m, sig({}, {}), Body() << ins(Op::Unreachable) << i64c(0) << ins(Op::I32Eqz)),
      "expected i32, got i64");
  // A reference popped from nothing is no number.
  EXPECT_INVALID(check(m, sig({}, {kI32}),
                       Body() << ins(Op::Unreachable) << ins(Op::RefAsNonNull) << ins(Op::I32Eqz)),
                 "type mismatch in i32.eqz");
}

TEST(ValidateCode, HundredThousandNestedBlocksInMemory) {
  Module m;
  Body b;
  const int depth = 100000;
  for (int i = 0; i < depth; ++i)
    b << blockOf(i % 3 == 0 ? Op::Loop : Op::Block, i == 0 ? valueResult(kI32) : noResult());
  b << ins(Op::Br, depth - 1);
  for (int i = 0; i < depth - 1; ++i) b << ins(Op::End);
  b << i32c(0) << ins(Op::End);
  // The outermost is a loop taking no values: the branch to it carries nothing.
  EXPECT_VALID(check(m, sig({}, {kI32}), b));
}

TEST(ValidateCode, HundredThousandNestedBlocksInABinary) {
  const int depth = 100000;
  Bytes code;
  for (int i = 0; i < depth; ++i) code.insert(code.end(), {0x02, 0x40});
  code.insert(code.end(), depth, 0x0b);
  Bytes bytes = module({section(1, vec({funcType({}, {})})), section(3, vec({leb(0)})),
                        section(10, vec({body(noLocals(), code)}))});
  Module m = readModule(bytes);
  EXPECT_NO_THROW(validateModule(m));
  // One `end` too few: the error names the end of the code.
  Bytes shortCode(code.begin(), code.end() - 1);
  Bytes bad = module({section(1, vec({funcType({}, {})})), section(3, vec({leb(0)})),
                      section(10, vec({body(noLocals(), shortCode)}))});
  EXPECT_THROW(validateModule(readModule(bad)), Error);
}

TEST(ValidateCode, ErrorsCarryTheInstructionOffset) {
  // (func (result i32) i32.const 1 f32.const 0 i32.add)
  Bytes code = cat({Bytes{0x41, 0x01, 0x43, 0, 0, 0, 0}, Bytes{0x6a}});
  Bytes bytes = module({section(1, vec({funcType({}, {0x7f})})), section(3, vec({leb(0)})),
                        section(10, vec({body(noLocals(), code)}))});
  size_t addAt = 0;
  for (size_t i = bytes.size(); i-- > 0;)
    if (bytes[i] == 0x6a) {
      addAt = i;
      break;
    }
  try {
    validateModule(readModule(bytes));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.offset(), addAt);
    EXPECT_NE(e.message().find("function 0: type mismatch in i32.add: expected i32, got f32"),
              std::string::npos)
        << e.message();
  }
}

TEST(ValidateCode, CodeBuiltInMemoryNamesTheInstructionIndex) {
  Module m;
  EXPECT_INVALID(check(m, sig({}, {}), Body() << ins(Op::Nop) << ins(Op::I32Eqz)),
                 "(instruction 1)");
}

TEST(ValidateCode, InstructionsAfterTheFinalEnd) {
  Module m;
  Body b;
  b << ins(Op::End) << ins(Op::Nop);
  EXPECT_INVALID(check(m, sig({}, {}), b), "after the end of the function");
}

TEST(ValidateCode, NonDefaultableLocalsMustBeSetFirst) {
  Module m;
  uint32_t f = addType(m, funcSubType({}, {}));
  Body readFirst;
  readFirst.locals = {ref(f)};
  readFirst << ins(Op::LocalGet, 0) << ins(Op::Drop);
  EXPECT_INVALID(check(m, sig({}, {}), readFirst), "local 0 is read before it is set");
  Body setThenRead;
  setThenRead.locals = {ref(f)};
  setThenRead << ins(Op::LocalGet, 0) << ins(Op::RefAsNonNull) << ins(Op::LocalSet, 1)
              << ins(Op::LocalGet, 1) << ins(Op::Drop);
  setThenRead.locals.insert(setThenRead.locals.begin(), ref(f, true));
  EXPECT_VALID(check(m, sig({}, {}), setThenRead));
  // An initialization inside a block does not survive the block.
  Body scoped;
  scoped.locals = {ref(f, true), ref(f)};
  scoped << blockOf(Op::Block, noResult()) << ins(Op::LocalGet, 0) << ins(Op::RefAsNonNull)
         << ins(Op::LocalSet, 1) << ins(Op::End) << ins(Op::LocalGet, 1) << ins(Op::Drop);
  EXPECT_INVALID(check(m, sig({}, {}), scoped), "read before it is set");
  // Parameters are always initialized.
  EXPECT_VALID(check(m, sig({ref(f)}, {}), Body() << ins(Op::LocalGet, 0) << ins(Op::Drop)));
}

TEST(ValidateCode, GlobalsAndMutability) {
  Module m;
  Global g;
  g.type = GlobalType{kI64, false};
  m.globals.push_back(g);
  EXPECT_VALID(check(m, sig({}, {kI64}), Body() << ins(Op::GlobalGet, 0)));
  EXPECT_INVALID(check(m, sig({}, {}), Body() << i64c(1) << ins(Op::GlobalSet, 0)),
                 "global.set of immutable global 0");
  EXPECT_INVALID(check(m, sig({}, {}), Body() << ins(Op::GlobalGet, 1) << ins(Op::Drop)),
                 "global index 1 out of range");
}

TEST(ValidateCode, CallsAndTailCalls) {
  Module m;
  uint32_t t = addType(m, funcSubType({kI32}, {kI64}));
  uint32_t f = addFunction(m, t);
  EXPECT_VALID(check(m, sig({}, {kI64}), Body() << i32c(1) << ins(Op::Call, f)));
  EXPECT_VALID(check(m, sig({}, {kI64}), Body() << i32c(1) << ins(Op::ReturnCall, f)));
  EXPECT_INVALID(check(m, sig({}, {kI32}), Body() << i32c(1) << ins(Op::ReturnCall, f)),
                 "callee results [i64] do not match the function's results [i32]");
  // call_ref takes a typed reference and returns the type's results.
  Body callRef;
  callRef.locals = {ref(t, true)};
  callRef << i32c(1) << ins(Op::LocalGet, 0) << ins(Op::CallRef, t);
  EXPECT_VALID(check(m, sig({}, {kI64}), callRef));
  Body wrongRef;
  wrongRef << i32c(1) << withHeap(Op::RefNull, HeapType{HeapType::Func}) << ins(Op::CallRef, t);
  EXPECT_INVALID(check(m, sig({}, {kI64}), wrongRef), "type mismatch in call_ref");
  Body returnCallRef;
  returnCallRef.locals = {ref(t)};
  returnCallRef << i32c(1) << ins(Op::LocalGet, 0) << ins(Op::ReturnCallRef, t);
  EXPECT_INVALID(check(m, sig({}, {kI64}), returnCallRef), "read before it is set");
}

TEST(ValidateCode, NullBranches) {
  Module m;
  uint32_t t = addType(m, funcSubType({}, {}));
  // br_on_null leaves a non-null reference on the fall-through path.
  Body onNull;
  onNull.locals = {ref(t, true)};
  onNull << blockOf(Op::Block, noResult()) << ins(Op::LocalGet, 0) << ins(Op::BrOnNull, 0)
         << ins(Op::CallRef, t) << ins(Op::End);
  EXPECT_VALID(check(m, sig({}, {}), onNull));
  // br_on_non_null sends the non-null reference to its label.
  Body onNonNull;
  onNonNull.locals = {ref(t, true)};
  onNonNull << blockOf(Op::Block, valueResult(ref(t))) << ins(Op::LocalGet, 0)
            << ins(Op::BrOnNonNull, 0) << ins(Op::Unreachable) << ins(Op::End) << ins(Op::Drop);
  EXPECT_VALID(check(m, sig({}, {}), onNonNull));
  Body noRefLabel;
  noRefLabel.locals = {ref(t, true)};
  noRefLabel << blockOf(Op::Block, noResult()) << ins(Op::LocalGet, 0) << ins(Op::BrOnNonNull, 0)
             << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {}), noRefLabel), "type mismatch in br_on_non_null");
}

TEST(ValidateCode, TypedSelect) {
  Module m;
  Body b;
  b << withHeap(Op::RefNull, HeapType{HeapType::Extern})
    << withHeap(Op::RefNull, HeapType{HeapType::Extern}) << i32c(1);
  b.selectTyped(ValType::externref());
  EXPECT_VALID(check(m, sig({}, {ValType::externref()}), b));
  Body untyped;
  untyped << withHeap(Op::RefNull, HeapType{HeapType::Extern})
          << withHeap(Op::RefNull, HeapType{HeapType::Extern}) << i32c(1) << ins(Op::Select);
  EXPECT_INVALID(check(m, sig({}, {ValType::externref()}), untyped), "select without a type");
}

// Exception handling: tags, try_table clauses and exnref.
class ValidateExceptions : public ::testing::Test {
 protected:
  void SetUp() override {
    tagType = addType(m, funcSubType({kI32}, {}));
    m.tags.push_back(TagType{0, tagType});
  }
  Module m;
  uint32_t tagType = 0;
};

TEST_F(ValidateExceptions, TryTableClausesMatchTheirLabels) {
  ValType exnref = abstractRef(HeapType::Exn);
  Body b;
  // (block (result i32) (try_table (catch 0 0) ... ) ...)
  b << blockOf(Op::Block, valueResult(kI32));
  b.tryTable(noResult(), {CatchClause{CatchClause::Catch, 0, 0}});
  b << i32c(1) << ins(Op::Throw, 0) << ins(Op::End) << i32c(0) << ins(Op::End);
  EXPECT_VALID(check(m, sig({}, {kI32}), b));

  uint32_t withRef = addType(m, funcSubType({}, {kI32, exnref}));
  Body refs;
  refs << blockOf(Op::Block, typeIndex(withRef));
  refs.tryTable(noResult(), {CatchClause{CatchClause::CatchRef, 0, 0}});
  refs << ins(Op::End) << ins(Op::Unreachable) << ins(Op::End) << ins(Op::ThrowRef)
       << ins(Op::Drop);
  EXPECT_VALID(check(m, sig({}, {}), refs));

  Body wrong;
  wrong << blockOf(Op::Block, valueResult(kI64));
  wrong.tryTable(noResult(), {CatchClause{CatchClause::Catch, 0, 0}});
  wrong << ins(Op::End) << ins(Op::Unreachable) << ins(Op::End) << ins(Op::Drop);
  EXPECT_INVALID(check(m, sig({}, {}), wrong), "try_table catch clause 0: label 0 takes [i64]");

  Body allRef;
  allRef << blockOf(Op::Block, valueResult(exnref));
  allRef.tryTable(noResult(), {CatchClause{CatchClause::CatchAllRef, 0, 0}});
  allRef << ins(Op::End) << ins(Op::Unreachable) << ins(Op::End) << ins(Op::ThrowRef);
  EXPECT_VALID(check(m, sig({}, {}), allRef));

  // The caught exception is never null: a label taking (ref exn) accepts it.
  ValType caught = ValType::ref(HeapType{HeapType::Exn}, false);
  Body nonNull;
  nonNull << blockOf(Op::Block, valueResult(caught));
  nonNull.tryTable(noResult(), {CatchClause{CatchClause::CatchAllRef, 0, 0}});
  nonNull << ins(Op::End) << ins(Op::Unreachable) << ins(Op::End) << ins(Op::ThrowRef);
  EXPECT_VALID(check(m, sig({}, {}), nonNull));

  Body outOfRange;
  outOfRange.tryTable(noResult(), {CatchClause{CatchClause::CatchAll, 0, 1}});
  outOfRange << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {}), outOfRange), "depth 1 out of range");
}

TEST_F(ValidateExceptions, LegacyTryCatchRethrowDelegate) {
  Body b;
  b << blockOf(Op::Try, valueResult(kI32)) << i32c(1) << ins(Op::Catch, 0) << ins(Op::CatchAll)
    << ins(Op::Rethrow, 0) << ins(Op::End);
  EXPECT_VALID(check(m, sig({}, {kI32}), b));
  Body afterAll;
  afterAll << blockOf(Op::Try, noResult()) << ins(Op::CatchAll) << ins(Op::Catch, 0)
           << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {}), afterAll), "catch without a matching try");
  Body delegate;
  delegate << blockOf(Op::Try, noResult()) << ins(Op::Delegate, 0);
  EXPECT_VALID(check(m, sig({}, {}), delegate));
  Body delegateAfterCatch;
  delegateAfterCatch << blockOf(Op::Try, noResult()) << ins(Op::CatchAll) << ins(Op::Delegate, 0);
  EXPECT_INVALID(check(m, sig({}, {}), delegateAfterCatch), "delegate without a matching try");
  Body rethrowOutside;
  rethrowOutside << blockOf(Op::Block, noResult()) << ins(Op::Rethrow, 0) << ins(Op::End);
  EXPECT_INVALID(check(m, sig({}, {}), rethrowOutside), "is not a catch block");
  EXPECT_INVALID(check(m, sig({}, {}), Body() << ins(Op::ThrowRef)), "expected exnref");
}

// Records what the observer is shown.
struct Recorder : StackObserver {
  struct Seen {
    size_t index;
    Op op;
    std::vector<ValType> stack;
    size_t frameBase;
    bool unreachable;
  };
  std::vector<Seen> seen;
  void beforeInstr(size_t index, const Instr& instr, std::span<const ValType> stack,
                   size_t frameBase, bool unreachable) override {
    seen.push_back({index, instr.op, {stack.begin(), stack.end()}, frameBase, unreachable});
  }
};

TEST(ValidateObserver, SeesTheWholeStackAndTheFrameBase) {
  Module m;
  Body b;
  // (param i32) (result i32)
  b << i32c(7)                                // 0: []
    << ins(Op::LocalGet, 0)                   // 1: [i32]
    << blockOf(Op::Block, valueResult(kI64))  // 2: [i32 i32]
    << i64c(1)                                // 3: [i32 i32] base 2
    << ins(Op::Br, 0)                         // 4: [i32 i32 i64] base 2
    << ins(Op::Drop)                          // 5: [i32 i32] base 2, unreachable
    << ins(Op::End)                           // 6: same
    << ins(Op::Drop)                          // 7: [i32 i32 i64]
    << ins(Op::I32Add);                       // 8: [i32 i32]
  Recorder r;
  EXPECT_VALID(check(m, sig({kI32}, {kI32}), b, &r));
  ASSERT_EQ(r.seen.size(), 10u);  // with the final end
  using V = std::vector<ValType>;
  EXPECT_EQ(r.seen[0].stack, V{});
  EXPECT_EQ(r.seen[1].stack, V{kI32});
  EXPECT_EQ(r.seen[2].stack, (V{kI32, kI32}));
  EXPECT_EQ(r.seen[3].frameBase, 2u);
  EXPECT_EQ(r.seen[4].stack, (V{kI32, kI32, kI64}));
  EXPECT_FALSE(r.seen[4].unreachable);
  EXPECT_EQ(r.seen[5].stack, (V{kI32, kI32}));
  EXPECT_EQ(r.seen[5].frameBase, 2u);
  EXPECT_TRUE(r.seen[5].unreachable);
  EXPECT_EQ(r.seen[7].stack, (V{kI32, kI32, kI64}));
  EXPECT_EQ(r.seen[7].frameBase, 0u);
  EXPECT_FALSE(r.seen[7].unreachable);
  EXPECT_EQ(r.seen[8].stack, (V{kI32, kI32}));
  EXPECT_EQ(r.seen[9].stack, V{kI32});
  EXPECT_EQ(r.seen[9].op, Op::End);
  for (size_t i = 0; i < r.seen.size(); ++i) EXPECT_EQ(r.seen[i].index, i);
}

TEST(ValidateObserver, ValidateFunctionStreamsADecodedBody) {
  // (func (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  Bytes bytes = module({section(1, vec({funcType({0x7f}, {0x7f})})), section(3, vec({leb(0)})),
                        section(10, vec({body(noLocals(), Bytes{0x20, 0x00, 0x41, 0x01, 0x6a})}))});
  Module m = readModule(bytes);
  Recorder r;
  validateFunction(m, 0, &r);
  ASSERT_EQ(r.seen.size(), 4u);
  EXPECT_EQ(r.seen[2].op, Op::I32Add);
  EXPECT_EQ(r.seen[2].stack, (std::vector<ValType>{kI32, kI32}));
  EXPECT_GT(r.seen[2].index, 0u);
  EXPECT_THROW(validateFunction(m, 1), Error);
}

}  // namespace
}  // namespace asyncify::test
