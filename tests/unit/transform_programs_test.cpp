// The transform in-process on the execution suite's WAT programs (tests/exec/programs), so that
// every feature they exercise (references across pauses, pauses in catch handlers, tail calls,
// blocks with parameters, memory64, multi-value...) also runs under the sanitizers: assemble with
// wat2wasm, transform with every import pausable and with one listed import, write, read back,
// validate. What the outputs do when run is the execution suite's business.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "asyncify/binary/instr.h"
#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "asyncify/transform/asyncify.h"
#include "asyncify/validate/validator.h"

namespace asyncify {
namespace {

namespace fs = std::filesystem;

const fs::path kPrograms = fs::path(ASYNCIFY_FIXTURES_DIR) / ".." / "exec" / "programs";

bool haveWat2wasm() {
  return std::system("command -v wat2wasm >/dev/null 2>&1") == 0;
}

// Assembles with the first wabt feature set that accepts the program (--enable-all would
// type ref.func as a typed reference, which the reference-types programs do not expect).
// Programs that Debian's wabt cannot assemble (try_table, GC) come with their binary, NAME.bin.
std::vector<uint8_t> assemble(const fs::path& wat) {
  if (fs::path bin = fs::path(wat).replace_extension(".bin"); fs::exists(bin))
    return readFile(bin.string());
  const fs::path out =
      fs::path(::testing::TempDir()) /
      ("asyncify-programs-" + std::to_string(::getpid()) + "-" + wat.stem().string() + ".wasm");
  for (const char* features : {"", "--enable-exceptions", "--enable-tail-call", "--enable-memory64",
                               "--enable-exceptions --enable-tail-call", "--enable-all"}) {
    const std::string command = std::string("wat2wasm ") + features + " '" + wat.string() +
                                "' -o '" + out.string() + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0) continue;
    std::vector<uint8_t> bytes = readFile(out.string());
    fs::remove(out);
    return bytes;
  }
  return {};
}

std::vector<Instr> instructionsOf(const Module& m, const Function& fn) {
  FunctionCode code = readFunctionCode(m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin);
  CodePools pools;
  return decodeAll(code.code, code.codeOffset, pools);
}

// How many times `op` occurs in the module's function bodies.
size_t countOp(const Module& m, Op op) {
  size_t n = 0;
  for (const auto& fn : m.functions)
    for (const Instr& ins : instructionsOf(m, fn)) n += ins.op == op;
  return n;
}

Module transformAndCheck(const std::vector<uint8_t>& input, const AsyncifyOptions& options) {
  Module module = readModule(input);
  validateModule(module);
  std::ostringstream log;
  asyncifyModule(module, options, log);
  Module output = readModule(writeModule(module));
  validateModule(output);
  return output;
}

// The options that change what the transform emits, in three mixes, so that the sanitizers see
// their code paths on every program (the execution suite runs each on a few programs only).
std::vector<AsyncifyOptions> optionMixes() {
  std::vector<AsyncifyOptions> mixes(3);
  mixes[0].asserts = true;
  mixes[0].favorSize = true;
  mixes[0].boundsCheck = false;
  mixes[1].secondaryMemory = true;
  mixes[1].ignoreIndirect = true;
  mixes[1].exportGlobals = true;
  mixes[1].multiValue = false;
  mixes[2].importGlobals = true;
  mixes[2].asserts = true;
  mixes[2].reportPath = (fs::path(::testing::TempDir()) /
                         ("asyncify-programs-" + std::to_string(::getpid()) + "-report.json"))
                            .string();
  return mixes;
}

TEST(TransformPrograms, EveryWatProgramTransformsToAValidModule) {
  if (!haveWat2wasm()) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(kPrograms)) {
    if (entry.path().extension() != ".wat") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const auto bytes = assemble(entry.path());
    ASSERT_FALSE(bytes.empty()) << "wat2wasm failed";
    try {
      transformAndCheck(bytes, AsyncifyOptions{});
      AsyncifyOptions listed;
      listed.imports = std::vector<std::string>{"env.next"};
      transformAndCheck(bytes, listed);
      for (const AsyncifyOptions& options : optionMixes()) transformAndCheck(bytes, options);
    } catch (const Error& error) {
      ADD_FAILURE() << error.describe();
    }
    count++;
  }
  EXPECT_GE(count, 10u);
}

TEST(TransformPrograms, PausableTailCallsBetweenInstrumentedFunctionsStayTailCalls) {
  if (!haveWat2wasm()) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  const auto bytes = assemble(kPrograms / "tailcall.wat");
  ASSERT_FALSE(bytes.empty());
  const Module input = readModule(bytes);
  const Module output = transformAndCheck(bytes, AsyncifyOptions{});
  // Only the return_call into the pausing import becomes call + return; the hand-over code of
  // the rewind path adds tail calls of its own.
  EXPECT_GE(countOp(output, Op::ReturnCall) + countOp(output, Op::ReturnCallIndirect),
            countOp(input, Op::ReturnCall) + countOp(input, Op::ReturnCallIndirect) - 1);
}

TEST(TransformPrograms, ReferencesLiveAcrossAPauseGetPrivateTables) {
  if (!haveWat2wasm()) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  const auto bytes = assemble(kPrograms / "refs.wat");
  ASSERT_FALSE(bytes.empty());
  const Module input = readModule(bytes);
  const Module output = transformAndCheck(bytes, AsyncifyOptions{});
  EXPECT_GT(output.numTables(), input.numTables());
}

// State tests of the exported function `name` other than call sites' checks: a global read, maybe
// compared, that an `if` or `br_if` takes (a check pushes its site id before reading the state;
// the program's functions read no globals of their own).
size_t stateTestsOf(const Module& m, const std::string& name) {
  for (const Export& e : m.exports) {
    if (e.kind != ExternKind::Func || e.name != name) continue;
    const std::vector<Instr> body =
        instructionsOf(m, m.functions.at(e.index - m.numImportedFunctions()));
    size_t n = 0;
    for (size_t i = 0; i < body.size(); i++) {
      if (body[i].op != Op::GlobalGet || (i > 0 && body[i - 1].op == Op::I32Const)) continue;
      size_t j = i + 1;
      if (j < body.size() && body[j].op == Op::I32Eqz) j++;
      if (j + 1 < body.size() && body[j].op == Op::I32Const && body[j + 1].op == Op::I32Eq) j += 2;
      n += j < body.size() && (body[j].op == Op::If || body[j].op == Op::BrIf);
    }
    return n;
  }
  ADD_FAILURE() << "no exported function " << name;
  return 0;
}

TEST(TransformPrograms, ACopiedLoopThatOpensTheFunctionIsEnteredByTheProloguesTest) {
  if (!haveWat2wasm()) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  const auto bytes = assemble(kPrograms / "loop-copies.wat");
  ASSERT_FALSE(bytes.empty());
  const Module output = transformAndCheck(bytes, AsyncifyOptions{});
  // One test on entry: the rewind prologue's, whose then-arm holds the loop's rewind copy.
  EXPECT_EQ(stateTestsOf(output, "first"), 1u);
  // After code, the loop's copy needs a test of its own besides the prologue's.
  EXPECT_EQ(stateTestsOf(output, "in_arm"), 2u);
}

}  // namespace
}  // namespace asyncify
