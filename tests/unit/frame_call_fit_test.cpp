// Fitting a frame's calls to the module's helpers in code the instrumenter emitted: i32 padding
// zeros before the save and drops after the restore's id, secondary calls between the pushes,
// each secondary's run restored with its first value (which comes back in the id's slot) ahead
// of the others; a part's runs saved and restored by calls between its values.
#include "../../src/transform/frame_call_fit.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "asyncify/binary/error.h"

namespace asyncify {
namespace {

constexpr uint32_t kSave = 100, kRestore = 101, kPark = 102, kUnpark = 103;
constexpr uint32_t kSaveTwo = 200, kRestoreTwo = 201, kSaveOne = 300, kRestoreOne = 301;

Instr make(Op op, uint32_t a = 0) {
  Instr i;
  i.op = op;
  i.a = a;
  return i;
}

// A compact form to compare: "get 3", "call 100", "const", ...
std::string show(const std::vector<Instr>& code) {
  // The instructions these edits touch; those with an index show it.
  static const std::map<Op, std::pair<std::string, bool>> kNames{
      {Op::LocalGet, {"get", true}},
      {Op::LocalSet, {"set", true}},
      {Op::LocalTee, {"tee", true}},
      {Op::GlobalSet, {"gset", true}},
      {Op::Call, {"call", true}},
      {Op::I32Const, {"const", false}},
      {Op::Drop, {"drop", false}},
      {Op::I64ReinterpretF64, {"to i64", false}},
      {Op::F64ReinterpretI64, {"to f64", false}},
      {Op::RefAsNonNull, {"nonnull", false}}};
  std::string s;
  for (const Instr& i : code) {
    if (!s.empty()) s += ", ";
    auto name = kNames.find(i.op);
    if (name == kNames.end()) {
      s += "?";
      continue;
    }
    s += name->second.first;
    if (name->second.second) s += " " + std::to_string(i.a);
  }
  return s;
}

const auto kNothingRemoved = [](const Instr&) { return false; };
const auto kNoLocal = []() -> uint32_t { throw std::logic_error("no local expected"); };

// Six values (locals 1-6; local 3 a parked reference), saved with the id (local 0) below them.
std::vector<Instr> saveCode() {
  return {make(Op::LocalGet, 0), make(Op::LocalGet, 1), make(Op::LocalGet, 2),
          make(Op::LocalGet, 3), make(Op::Call, kPark), make(Op::LocalGet, 4),
          make(Op::LocalGet, 5), make(Op::LocalGet, 6), make(Op::Call, kSave)};
}

// The same frame restored: the id into local 9, then the values top first (local 5 with a
// shadow, local 3 unparked and made non-null).
std::vector<Instr> restoreCode() {
  return {make(Op::Call, kRestore), make(Op::LocalSet, 9),  make(Op::LocalSet, 6),
          make(Op::LocalTee, 5),    make(Op::LocalSet, 15), make(Op::LocalSet, 4),
          make(Op::Call, kUnpark),  make(Op::RefAsNonNull), make(Op::LocalSet, 3),
          make(Op::LocalSet, 2),    make(Op::LocalSet, 1),  make(Op::LocalGet, 7)};
}

TEST(FrameCallFit, SecondariesTakeTheLowestRunsAndThePrimaryThePaddedRest) {
  // Runs of 3 values (size 2) and 2 values (size 1), then one value and two padding slots.
  const std::vector<SecondaryHelper> secondaries{{2, kSaveTwo, kRestoreTwo},
                                                 {1, kSaveOne, kRestoreOne}};
  const auto saved =
      fitFrameCalls(saveCode(), {{8, true, 6}}, 2, secondaries, {}, kNoLocal, kNothingRemoved);
  EXPECT_EQ(show(saved),
            "get 0, get 1, get 2, get 3, call 102, call 200, get 4, get 5, call 300, get 6, "
            "const, const, call 100");
  const auto restored =
      fitFrameCalls(restoreCode(), {{0, false, 6}}, 2, secondaries, {}, kNoLocal, kNothingRemoved);
  EXPECT_EQ(show(restored),
            "call 101, set 9, drop, drop, set 6, "
            "call 301, set 4, tee 5, set 15, "
            "call 201, set 1, call 103, nonnull, set 3, set 2, get 7");
}

TEST(FrameCallFit, PaddingAloneAndTheIdHeldWhenNotTakenAtOnce) {
  std::vector<Instr> code{make(Op::Call, kRestore), make(Op::Call, 50)};  // the id stays on top
  uint32_t declared = 0;
  const auto out = fitFrameCalls(
      code, {{0, false, 1}}, 1, {}, {}, [&] { return 40 + declared++; }, kNothingRemoved);
  EXPECT_EQ(show(out), "call 101, set 40, drop, get 40, call 50");
  EXPECT_EQ(declared, 1u);
}

TEST(FrameCallFit, RemovedCallsGo) {
  const auto out = fitFrameCalls(saveCode(), {}, 0, {}, {}, kNoLocal,
                                 [](const Instr& i) { return i.op == Op::Call && i.a == kPark; });
  EXPECT_EQ(show(out), "get 0, get 1, get 2, get 3, get 4, get 5, get 6, call 100");
}

TEST(FrameCallFit, PartRunsGetCallsBetweenTheirValues) {
  // Six i64 values (locals 1-6) by runs of 2 and 3, and the call's own last one.
  const std::vector<Instr> save{make(Op::LocalGet, 1), make(Op::LocalGet, 2), make(Op::LocalGet, 3),
                                make(Op::LocalGet, 4), make(Op::LocalGet, 5), make(Op::LocalGet, 6),
                                make(Op::Call, kSave)};
  const PartCall savePart{6, true, 6, {{2, kSaveTwo}, {3, kSaveOne}}};
  EXPECT_EQ(show(fitFrameCalls(save, {}, 0, {}, {savePart}, kNoLocal, kNothingRemoved)),
            "get 1, get 2, call 200, get 3, get 4, get 5, call 300, get 6, call 100");
  // Restoring, top first: local 6, then the run of 3 (local 4 with a shadow, a padding slot),
  // then the run of 2.
  const std::vector<Instr> restore{make(Op::Call, kRestore), make(Op::LocalSet, 6),
                                   make(Op::Drop),           make(Op::LocalTee, 4),
                                   make(Op::LocalSet, 14),   make(Op::LocalSet, 3),
                                   make(Op::LocalSet, 2),    make(Op::LocalSet, 1)};
  const PartCall restorePart{0, false, 6, {{2, kRestoreTwo}, {3, kRestoreOne}}};
  EXPECT_EQ(show(fitFrameCalls(restore, {}, 0, {}, {restorePart}, kNoLocal, kNothingRemoved)),
            "call 101, set 6, call 301, drop, tee 4, set 14, set 3, call 201, set 2, set 1");
}

TEST(FrameCallFit, F64ValuesAreReinterpretedForI64Helpers) {
  // Three f64 values (locals 1-3) by a run of 2 and the call's own one; restoring, a padding
  // slot is dropped as it comes.
  const std::vector<Instr> save{make(Op::LocalGet, 1), make(Op::LocalGet, 2), make(Op::LocalGet, 3),
                                make(Op::Call, kSave)};
  const PartCall savePart{3, true, 3, {{2, kSaveTwo}}, true};
  EXPECT_EQ(show(fitFrameCalls(save, {}, 0, {}, {savePart}, kNoLocal, kNothingRemoved)),
            "get 1, to i64, get 2, to i64, call 200, get 3, to i64, call 100");
  const std::vector<Instr> restore{make(Op::Call, kRestore), make(Op::LocalSet, 3), make(Op::Drop),
                                   make(Op::LocalTee, 1), make(Op::LocalSet, 11)};
  const PartCall restorePart{0, false, 3, {{2, kRestoreTwo}}, true};
  EXPECT_EQ(show(fitFrameCalls(restore, {}, 0, {}, {restorePart}, kNoLocal, kNothingRemoved)),
            "call 101, to f64, set 3, call 201, drop, to f64, tee 1, set 11");
}

TEST(FrameCallFit, UnexpectedCodeIsAnInternalError) {
  std::vector<Instr> code = saveCode();
  code[6] = make(Op::I32Add);  // not a value the instrumenter pushes
  const std::vector<SecondaryHelper> secondaries{{2, kSaveTwo, kRestoreTwo}};
  EXPECT_THROW(fitFrameCalls(code, {{8, true, 6}}, 0, secondaries, {}, kNoLocal, kNothingRemoved),
               Error);
  // More values in secondaries than the frame has.
  EXPECT_THROW(
      fitFrameCalls(saveCode(), {{8, true, 2}}, 0, secondaries, {}, kNoLocal, kNothingRemoved),
      Error);
}

}  // namespace
}  // namespace asyncify
