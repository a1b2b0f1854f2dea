// The instruction codec against real producers: wabt's wat2wasm (the opcode table is checked
// operator by operator against its encoder) and clang, plus the real-world corpus when it has
// been fetched. Every body must decode, end with `end`, and re-encode to the same bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "asyncify/binary/cursor.h"
#include "asyncify/binary/instr.h"

namespace asyncify {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

const fs::path kFixtures = fs::path(ASYNCIFY_FIXTURES_DIR) / "instr";

Bytes readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), {});
}

bool haveCommand(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs a shell command; on failure, fails the test with the command's stderr.
bool run(const std::string& command, const fs::path& errFile) {
  if (std::system((command + " 2>" + errFile.string()).c_str()) == 0) return true;
  std::ifstream err(errFile);
  std::stringstream text;
  text << err.rdbuf();
  ADD_FAILURE() << command << "\n" << text.str();
  return false;
}

// A private folder for one test's outputs (tests may run in parallel), removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::path(::testing::TempDir()) /
            ("asyncify-instr-" + std::to_string(::getpid()) + "-" + test->name());
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Absolute offset and size of every function body of a module (just enough section walking
// to reach the code; the module reader has its own tests).
std::vector<std::pair<size_t, size_t>> codeBodies(const Bytes& module) {
  std::vector<std::pair<size_t, size_t>> bodies;
  Cursor c(module);
  c.skip(8);
  while (!c.atEnd()) {
    uint8_t id = c.readByte();
    uint32_t size = c.readVarU32();
    size_t end = c.position() + size;
    if (id == 10) {
      uint32_t n = c.readVarU32();
      for (uint32_t i = 0; i < n; ++i) {
        uint32_t bodySize = c.readVarU32();
        bodies.push_back({c.position(), bodySize});
        c.skip(bodySize);
      }
    }
    c.skip(end - c.position());
  }
  return bodies;
}

struct DecodeStats {
  size_t bodies = 0;
  size_t instrs = 0;
  std::set<Feature> features;
};

// What must re-encode byte for byte: the whole body (producers that group locals canonically,
// like wabt), the instructions only (LLVM writes one local per group), or nothing (the corpus:
// some producers pad LEB128s).
enum class Compare { Body, Code, Nothing };

// Decodes every body; each must end with `end` and re-encode as `compare` asks.
DecodeStats decodeModule(const Bytes& module, Compare compare) {
  DecodeStats stats;
  CodePools pools;
  for (auto [offset, size] : codeBodies(module)) {
    auto body = std::span<const uint8_t>(module).subspan(offset, size);
    FunctionCode fc = readFunctionCode(body, offset);
    pools.clear();
    std::vector<Instr> instrs = decodeAll(fc.code, fc.codeOffset, pools);
    EXPECT_FALSE(instrs.empty());
    if (instrs.empty()) continue;
    EXPECT_EQ(instrs.back().op, Op::End) << "body at " << offset;
    for (const Instr& i : instrs) {
      stats.features.insert(i.info().feature);
      // Features without operators of their own, seen in immediates.
      if (i.info().naturalAlign || i.info().imm == ImmKind::Memory ||
          i.info().imm == ImmKind::MemMem) {
        if (i.a != 0) stats.features.insert(Feature::MultiMemory);
      }
      if (i.info().imm == ImmKind::DataMem && i.b != 0) stats.features.insert(Feature::MultiMemory);
      if (i.info().imm == ImmKind::Block && i.block.kind == BlockType::Index)
        stats.features.insert(Feature::MultiValue);
    }
    if (compare == Compare::Nothing) {
      ++stats.bodies;
      stats.instrs += instrs.size();
      continue;
    }
    Bytes again;
    std::span<const uint8_t> original = body;
    if (compare == Compare::Body) {
      again = encodeFunctionBody(fc.locals, instrs, pools);
    } else {
      for (const Instr& i : instrs) encodeInstr(i, pools, again);
      original = fc.code;
    }
    auto diff = std::mismatch(again.begin(), again.end(), original.begin(), original.end());
    EXPECT_TRUE(diff.first == again.end() && diff.second == original.end())
        << "body at " << offset << " re-encodes differently from byte "
        << (diff.second - original.begin());
    ++stats.bodies;
    stats.instrs += instrs.size();
  }
  return stats;
}

// The features a fixture declares in its ";; expect-features: a b c" line.
std::set<std::string> expectedFeatures(const fs::path& wat) {
  std::ifstream in(wat);
  std::string line;
  const std::string key = ";; expect-features:";
  std::set<std::string> out;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream words(line.substr(key.size()));
    for (std::string w; words >> w;) out.insert(w);
  }
  return out;
}

// Each .wat is assembled with wat2wasm, except those with a committed .bin beside them: they
// use proposals wabt 1.0.32 cannot assemble, and their header says how the .bin was made.
TEST(InstrFixtures, WatFilesDecodeAndReencode) {
  if (!haveCommand("wat2wasm")) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  ScratchDir dir;
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    if (entry.path().extension() != ".wat") continue;
    SCOPED_TRACE(entry.path().filename().string());
    ++files;
    fs::path prebuilt = fs::path(entry.path()).replace_extension(".bin");
    fs::path out = prebuilt;
    if (!fs::exists(prebuilt)) {
      out = dir / entry.path().filename().replace_extension(".wasm").string();
      ASSERT_TRUE(
          run("wat2wasm --enable-all '" + entry.path().string() + "' -o '" + out.string() + "'",
              dir / "wat2wasm.err"));
    }
    DecodeStats stats = decodeModule(readBytes(out), Compare::Body);
    EXPECT_GT(stats.bodies, 0u);
    std::set<std::string> seen;
    for (Feature f : stats.features) seen.insert(std::string(featureName(f)));
    for (const std::string& want : expectedFeatures(entry.path()))
      EXPECT_TRUE(seen.count(want)) << "no operator of feature " << want;
  }
  EXPECT_GE(files, 8u);
}

TEST(InstrFixtures, ClangOutputDecodesAndReencodes) {
  if (!haveCommand("clang")) GTEST_SKIP() << "clang is not installed";
  ScratchDir dir;
  fs::path out = dir / "kernels.wasm";
  ASSERT_TRUE(run("clang --target=wasm32-wasi -O2 -msimd128 '" +
                      (kFixtures / "kernels.c").string() + "' -o '" + out.string() + "'",
                  dir / "clang.err"));
  DecodeStats stats = decodeModule(readBytes(out), Compare::Code);
  EXPECT_GT(stats.bodies, 10u);
  EXPECT_GT(stats.instrs, 1000u);
  EXPECT_TRUE(stats.features.count(Feature::Simd)) << "the loops were not vectorized";
}

// One instruction in the text format per operator wabt 1.0.32 can assemble, with immediates
// that suit the module prologue below. Operators it lacks (GC, the new exception handling,
// typed function references) are covered by the hand-written byte tests.
std::string watInstruction(Op op) {
  const OpInfo& info = opInfo(op);
  std::string text(info.text);
  if (info.feature == Feature::Gc) return {};
  switch (op) {
    case Op::ThrowRef:
    case Op::TryTable:
    case Op::CallRef:
    case Op::ReturnCallRef:
    case Op::RefAsNonNull:
    case Op::BrOnNull:
    case Op::BrOnNonNull:
    // Structured control is emitted separately, with its `end`s.
    case Op::Block:
    case Op::Loop:
    case Op::If:
    case Op::Else:
    case Op::End:
    case Op::Try:
    case Op::Catch:
    case Op::CatchAll:
    case Op::Delegate:
      return {};
    case Op::I16x8RelaxedDotI8x16I7x16S:
      return "i16x8.dot_i8x16_i7x16_s";  // wabt's names
    case Op::I32x4RelaxedDotI8x16I7x16AddS:
      return "i32x4.dot_i8x16_i7x16_add_s";
    case Op::BrTable:
      return "br_table 0 0";
    case Op::SelectT:
      return "select (result i32)";
    default:
      break;
  }
  switch (info.imm) {
    case ImmKind::None:
    case ImmKind::MemArg:
    case ImmKind::Zero:
    case ImmKind::MemMem:
    case ImmKind::TableTable:
      return text;
    case ImmKind::Type:
      return text + " $t";
    case ImmKind::CallIndirect:
      return text + " (type $t)";
    case ImmKind::MemArgLane:
    case ImmKind::Lane:
      return text + " 1";
    case ImmKind::I32:
    case ImmKind::I64:
      return text + " -5";
    case ImmKind::F32:
    case ImmKind::F64:
      return text + " 1.5";
    case ImmKind::V128:
      return text + " i32x4 1 2 3 4";
    case ImmKind::Shuffle:
      return text + " 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15";
    case ImmKind::HeapType:
      return text + " func";
    default:
      return text + " 0";  // an index: each space has entry 0
  }
}

TEST(InstrFixtures, OpcodeTableMatchesWat2wasm) {
  if (!haveCommand("wat2wasm")) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  std::string body;
  std::vector<Op> expected;
  for (size_t i = 0; i < kOpCount; ++i) {
    std::string line = watInstruction(static_cast<Op>(i));
    if (line.empty()) continue;
    body += "    " + line + "\n";
    expected.push_back(static_cast<Op>(i));
  }
  // wabt drops an empty `else`, hence the nops.
  body += "    block\n    end\n    loop\n    end\n    if\n    nop\n    else\n    nop\n    end\n";
  body += "    try\n    catch 0\n    catch_all\n    end\n    try\n    delegate 0\n";
  for (Op op : {Op::Block, Op::End, Op::Loop, Op::End, Op::If, Op::Nop, Op::Else, Op::Nop, Op::End,
                Op::Try, Op::Catch, Op::CatchAll, Op::End, Op::Try, Op::Delegate, Op::End})
    expected.push_back(op);
  ScratchDir dir;
  fs::path wat = dir / "all_ops.wat";
  std::ofstream(wat) << "(module (type $t (func)) (memory 1) (table 1 funcref)\n"
                        "  (global (mut i32) (i32.const 0)) (tag) (data \"x\") (elem func 0)\n"
                        "  (func (type $t) (local i32)\n"
                     << body << "))\n";
  fs::path wasm = dir / "all_ops.wasm";
  // --no-check: the sequence is not well-typed; only the encodings matter here.
  ASSERT_TRUE(
      run("wat2wasm --enable-all --no-check '" + wat.string() + "' -o '" + wasm.string() + "'",
          dir / "all_ops.err"));
  Bytes module = readBytes(wasm);
  auto bodies = codeBodies(module);
  ASSERT_EQ(bodies.size(), 1u);
  auto [offset, size] = bodies[0];
  FunctionCode fc =
      readFunctionCode(std::span<const uint8_t>(module).subspan(offset, size), offset);
  CodePools pools;
  std::vector<Instr> instrs = decodeAll(fc.code, fc.codeOffset, pools);
  EXPECT_EQ(instrs.size(), expected.size());
  for (size_t i = 0; i < std::min(expected.size(), instrs.size()); ++i)
    EXPECT_EQ(instrs[i].op, expected[i])
        << "instruction " << i << ": wabt encodes " << opInfo(expected[i]).text << " as what we "
        << "decode as " << opInfo(instrs[i].op).text;
  Bytes again;
  for (const Instr& i : instrs) encodeInstr(i, pools, again);
  EXPECT_TRUE(std::equal(again.begin(), again.end(), fc.code.begin(), fc.code.end()));
  EXPECT_GT(expected.size(), 500u);
}

// The real-world corpus (fetched by scripts into .cache/corpus, absent in a fresh checkout):
// every body of every module decodes. Producers may use overlong LEB128s, so bytes are not
// compared.
TEST(InstrFixtures, CorpusDecodes) {
  fs::path corpus = fs::path(ASYNCIFY_FIXTURES_DIR) / ".." / ".." / ".cache" / "corpus";
  if (!fs::is_directory(corpus)) GTEST_SKIP() << "no corpus at " << corpus;
  size_t modules = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() != ".wasm") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Bytes module = readBytes(entry.path());
    try {
      DecodeStats stats = decodeModule(module, Compare::Nothing);
      EXPECT_GT(stats.bodies, 0u);
    } catch (const Error& e) {
      ADD_FAILURE() << e.describe();
    }
    ++modules;
  }
  if (modules == 0) GTEST_SKIP() << "the corpus folder holds no modules";
}

}  // namespace
}  // namespace asyncify
