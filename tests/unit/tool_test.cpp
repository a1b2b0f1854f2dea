// The command-line tool: exit codes, messages, no output on error, both option spellings.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "asyncify/binary/instr.h"
#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "fixture_builder.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using namespace test;
namespace fs = std::filesystem;

struct RunResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr together
};

RunResult runTool(const std::string& args) {
  std::string cmd = std::string(ASYNCIFY_TOOL_PATH) + " " + args + " 2>&1";
  RunResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

class Tool : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir() / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string path(const std::string& name) const { return shellQuote((dir_ / name).string()); }
  std::string file(const std::string& name, const Bytes& bytes) const {
    writeFileAtomically((dir_ / name).string(), bytes);
    return path(name);
  }
  bool exists(const std::string& name) const { return fs::exists(dir_ / name); }
  // Nothing but the files we created: no output, no temporary file left behind.
  size_t fileCount() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }
  fs::path dir_;
};

TEST_F(Tool, VersionAndHelp) {
  auto v = runTool("--version");
  EXPECT_EQ(v.exitCode, 0);
  EXPECT_EQ(v.output, "wasm-asyncify 0.1.0\n");
  auto h = runTool("--help");
  EXPECT_EQ(h.exitCode, 0);
  for (const char* option :
       {"--imports", "--pass-arg", "--roundtrip", "--validate-only", "--report",
        "--ignore-indirect", "--onlylist", "--secondary-memory-size"})
    EXPECT_NE(h.output.find(option), std::string::npos) << option;
}

TEST_F(Tool, UsageErrorsExitWithOne) {
  auto none = runTool("");
  EXPECT_EQ(none.exitCode, 1);
  EXPECT_NE(none.output.find("wasm-asyncify: error:"), std::string::npos) << none.output;
  std::string in = file("in.wasm", buildFixture("mvp.wat"));
  auto noOutput = runTool(in);
  EXPECT_EQ(noOutput.exitCode, 1);
  EXPECT_NE(noOutput.output.find("no output file"), std::string::npos) << noOutput.output;
  auto unknown = runTool(in + " -o " + path("out.wasm") + " --no-such-option");
  EXPECT_EQ(unknown.exitCode, 1);
  auto badPassArg = runTool(in + " -o " + path("out.wasm") + " --pass-arg=asyncify-bogus@1");
  EXPECT_EQ(badPassArg.exitCode, 1);
  EXPECT_NE(badPassArg.output.find("unknown asyncify pass argument 'asyncify-bogus'"),
            std::string::npos)
      << badPassArg.output;
  EXPECT_FALSE(exists("out.wasm"));
}

TEST_F(Tool, MissingInput) {
  auto r = runTool(path("absent.wasm") + " -o " + path("out.wasm"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.output.find("wasm-asyncify: error: cannot open"), std::string::npos) << r.output;
  EXPECT_EQ(fileCount(), 0u);
}

TEST_F(Tool, MalformedInputGivesOneLineWithTheOffsetAndNoOutput) {
  std::string in =
      file("bad.wasm", {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01});
  auto r = runTool(in + " -o " + path("out.wasm"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.output,
            "wasm-asyncify: error: type section size 5 exceeds the 1 bytes left (at offset 0x9)\n");
  EXPECT_EQ(fileCount(), 1u);
  // An existing output is left as it was.
  file("out.wasm", {42});
  EXPECT_EQ(runTool(in + " -o " + path("out.wasm")).exitCode, 1);
  EXPECT_EQ(readFile((dir_ / "out.wasm").string()), Bytes{42});
}

TEST_F(Tool, EveryTruncationOfAModuleFailsCleanly) {
  Bytes full = buildFixture("mvp.wat");
  // Every 7th length keeps the test fast while crossing every section.
  for (size_t len = 0; len < full.size(); len += 7) {
    std::string in = file("cut.wasm", Bytes(full.begin(), full.begin() + static_cast<long>(len)));
    auto r = runTool("--validate-only " + in);
    EXPECT_LE(r.exitCode, 1) << "crash at length " << len << ": " << r.output;
  }
}

TEST_F(Tool, InvalidModuleIsRejected) {
  // (func (result i32) i32.add): well-formed but does not type-check.
  Bytes in = module({section(1, vec({funcType({}, {I32})})), section(3, vec({leb(0)})),
                     section(10, vec({body(noLocals(), {0x6a})}))});
  auto r = runTool(file("invalid.wasm", in) + " -o " + path("out.wasm"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.output.find("wasm-asyncify: error:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(at offset 0x"), std::string::npos) << r.output;
  EXPECT_FALSE(exists("out.wasm"));
  EXPECT_EQ(runTool("--validate-only " + path("invalid.wasm")).exitCode, 1);
}

TEST_F(Tool, RoundtripIsByteIdentical) {
  for (const char* name : {"mvp.wat", "bulk_reftypes.wat", "c_sort.c"}) {
    Bytes bytes = buildFixture(name);
    std::string in = file("in.wasm", bytes);
    auto r = runTool("--roundtrip " + in + " -o " + path("out.wasm"));
    ASSERT_EQ(r.exitCode, 0) << name << ": " << r.output;
    EXPECT_EQ(readFile((dir_ / "out.wasm").string()), bytes) << name;
  }
  auto v = runTool("--validate-only " + path("in.wasm"));
  EXPECT_EQ(v.exitCode, 0) << v.output;
}

// DWARF names instructions by their code offsets, which instrumenting moves: its sections go,
// with a warning; the other custom sections and the names stay. -g keeps them (with a warning).
// When no body changes, nothing moves and DWARF stays.
TEST_F(Tool, StaleDwarfSectionsAreDroppedWithAWarning) {
  // The fixture's name section closes it; the new sections go before it, so that dropping them
  // moves it in the list of custom sections.
  const Bytes fixture = buildFixture("mvp.wat");
  const Module parsed = readModule(fixture);
  ASSERT_TRUE(parsed.nameSectionIndex.has_value());
  const Module::SectionRecord& last = parsed.sections.back();
  ASSERT_EQ(last.id, SectionId::Custom);
  const auto nameAt = static_cast<std::ptrdiff_t>(last.whole.begin);
  const Bytes input =
      cat({Bytes(fixture.begin(), fixture.begin() + nameAt),
           customSection(".debug_info", {1, 2, 3}), customSection("kept", {4}),
           customSection(".debug_line", {5}), Bytes(fixture.begin() + nameAt, fixture.end())});
  std::string in = file("in.wasm", input);
  auto customsOf = [&](const std::string& name) {
    std::vector<std::string> names;
    for (const auto& c : readModule(readFile((dir_ / name).string())).customs)
      names.push_back(c.name);
    return names;
  };

  auto r = runTool(in + " -o " + path("out.wasm"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("warning: Asyncify: dropped the DWARF debug sections (.debug_info, "
                          ".debug_line)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(customsOf("out.wasm"), (std::vector<std::string>{"kept", "name"}));
  const Module out = readModule(readFile((dir_ / "out.wasm").string()));
  ASSERT_TRUE(out.names.has_value());
  for (const auto& [index, name] : parsed.names->functions)
    EXPECT_EQ(out.names->functions.at(index), name);
  bool namesAdded = false;  // the name section is the rewritten one, with the ABI's functions
  for (const auto& [index, name] : out.names->functions) namesAdded |= name == "asyncify_get_state";
  EXPECT_TRUE(namesAdded);

  auto keptByRequest = runTool(in + " -g -o " + path("kept.wasm"));
  ASSERT_EQ(keptByRequest.exitCode, 0) << keptByRequest.output;
  EXPECT_NE(keptByRequest.output.find("warning: Asyncify: kept the DWARF debug sections (-g)"),
            std::string::npos)
      << keptByRequest.output;
  EXPECT_EQ(customsOf("kept.wasm"),
            (std::vector<std::string>{".debug_info", "kept", ".debug_line", "name"}));

  auto untouched = runTool(in + " --ignore-imports --ignore-indirect -o " + path("same.wasm"));
  ASSERT_EQ(untouched.exitCode, 0) << untouched.output;
  EXPECT_EQ(untouched.output.find("DWARF"), std::string::npos) << untouched.output;
  EXPECT_EQ(customsOf("same.wasm"),
            (std::vector<std::string>{".debug_info", "kept", ".debug_line", "name"}));
}

// 2,000 locals live at each of 3,000 calls: the frame is their union, so the output stays linear,
// but an engine's optimizing compiler pays locals times calls, and the tool says so.
TEST_F(Tool, ManyLocalsLiveAtManyCallsAreInstrumentedWithAWarning) {
  const fs::path input = fs::path(ASYNCIFY_FIXTURES_DIR) / ".." / ".." / "fuzz" / "regressions" /
                         "live-locals-times-calls.wasm";
  auto r = runTool(shellQuote(input.string()) + " -o " + path("out.wasm"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("warning: Asyncify: function 0 has 6000000 live locals summed over its "
                          "3000 pausable calls; optimizing compilers may take long"),
            std::string::npos)
      << r.output;
  EXPECT_LT(fs::file_size(dir_ / "out.wasm"), 8 * fs::file_size(input));
}

TEST_F(Tool, WasmOptSpellingsAreAccepted) {
  std::string in = file("in.wasm", buildFixture("mvp.wat"));
  auto r = runTool(in +
                   " --asyncify -O2 --enable-bulk-memory -g --pass-arg=asyncify-imports@env.log "
                   "--pass-arg asyncify-ignore-indirect -o " +
                   path("out.wasm"));
  ASSERT_EQ(r.exitCode, 0) << r.output;
  Module m = readModule(readFile((dir_ / "out.wasm").string()));
  bool exportsStartUnwind = false;
  for (const auto& e : m.exports) exportsStartUnwind |= e.name == "asyncify_start_unwind";
  EXPECT_TRUE(exportsStartUnwind);
  EXPECT_TRUE(wabtAccepts(readFile((dir_ / "out.wasm").string()), "tool-out", ""));

  auto verbose = runTool(in + " --imports env.log --verbose -o " + path("out2.wasm"));
  ASSERT_EQ(verbose.exitCode, 0) << verbose.output;
  EXPECT_NE(verbose.output.find("[asyncify] log is an import that can change the state"),
            std::string::npos)
      << verbose.output;
}

// -Os/-Oz mean what they mean to wasm-opt users: the smallest output. Here that drops the
// rewind-only copies of small loops (the report counts them), nothing else.
TEST_F(Tool, SizeLevelsDropLoopCopies) {
  std::string in = file("in.wasm", buildFixture("c_sort.c"));
  auto copiesIn = [&](const std::string& report) {
    auto json = nlohmann::json::parse(readFile((dir_ / report).string()));
    uint64_t copies = 0;
    for (const auto& f : json["functions"]) copies += f.value("rewindCopiedLoops", 0u);
    return copies;
  };
  ASSERT_EQ(runTool(in + " -o " + path("fast.wasm") + " --report " + path("fast.json")).exitCode,
            0);
  auto small =
      runTool(in + " --favor-size -o " + path("small.wasm") + " --report " + path("small.json"));
  ASSERT_EQ(small.exitCode, 0) << small.output;
  ASSERT_EQ(runTool(in + " -Oz -o " + path("oz.wasm")).exitCode, 0);
  EXPECT_GT(copiesIn("fast.json"), 0u);
  EXPECT_EQ(copiesIn("small.json"), 0u);
  const auto fast = readFile((dir_ / "fast.wasm").string());
  const auto smallBytes = readFile((dir_ / "small.wasm").string());
  EXPECT_LT(smallBytes.size(), fast.size());
  EXPECT_EQ(readFile((dir_ / "oz.wasm").string()), smallBytes);
  EXPECT_TRUE(wabtAccepts(smallBytes, "tool-small", ""));
  EXPECT_TRUE(wabtAccepts(fast, "tool-fast", ""));
}

// -O3/-O4 ask for speed at the expense of size, as with wasm-opt: --favor-speed (wider inline
// frames in recursive functions; the execution tests check which). -Os wins over it; -O2 is the
// default.
TEST_F(Tool, SpeedLevelsMeanFavorSpeed) {
  std::string in = file("in.wasm", buildFixture("c_sort.c"));
  auto output = [&](const std::string& args, const std::string& name) {
    auto run = runTool(in + " " + args + " -o " + path(name));
    EXPECT_EQ(run.exitCode, 0) << run.output;
    return readFile((dir_ / name).string());
  };
  const auto speed = output("--favor-speed", "speed.wasm");
  EXPECT_EQ(output("-O3", "o3.wasm"), speed);
  EXPECT_EQ(output("-O4", "o4.wasm"), speed);
  EXPECT_EQ(output("-O3 -Os", "o3s.wasm"), output("--favor-size", "small.wasm"));
  EXPECT_EQ(output("-O2", "o2.wasm"), output("", "default.wasm"));
  EXPECT_TRUE(wabtAccepts(speed, "tool-speed", ""));
}

// wasm-opt's feature flags say whether the output may use multi-value: with it, a frame is
// restored by one helper returning every value (smaller than going through scratch globals).
TEST_F(Tool, FeatureFlagsDecideMultiValue) {
  std::string in = file("in.wasm", buildFixture("c_sort.c"));
  auto multiResultTypes = [&](const std::string& args) {
    auto run = runTool(in + " " + args + " -o " + path("mv.wasm"));
    EXPECT_EQ(run.exitCode, 0) << run.output;
    const auto bytes = readFile((dir_ / "mv.wasm").string());
    EXPECT_TRUE(wabtAccepts(bytes, "tool-mv", ""));
    Module m = readModule(bytes);
    size_t n = 0;
    for (const auto& t : m.types) n += t.kind == SubType::Func && t.func.results.size() > 1;
    return n;
  };
  EXPECT_EQ(multiResultTypes(""), 0u);  // the fixture does not declare multi-value
  EXPECT_GT(multiResultTypes("--enable-multivalue"), 0u);
  EXPECT_GT(multiResultTypes("-all"), 0u);
  EXPECT_EQ(multiResultTypes("--all-features --disable-multivalue"), 0u);
  EXPECT_GT(multiResultTypes("--mvp-features --enable-multivalue"), 0u);
  EXPECT_EQ(multiResultTypes("-all --mvp-features"), 0u);
}

// The memory index that asyncify_start_unwind reads the data structure from (itself, or in the
// function it calls to check the structure).
uint32_t unwindDataMemory(const Bytes& bytes) {
  Module m = readModule(bytes);
  std::optional<uint32_t> next;
  for (const auto& e : m.exports)
    if (e.name == "asyncify_start_unwind") next = e.index;
  for (int depth = 0; next && depth < 2; depth++) {
    const Function& fn = m.functions.at(*next - m.numImportedFunctions());
    FunctionCode code = readFunctionCode(m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin);
    CodePools pools;
    next.reset();
    for (const Instr& ins : decodeAll(code.code, code.codeOffset, pools)) {
      if (ins.info().imm == ImmKind::MemArg) return ins.a;
      if (ins.op == Op::Call) next = ins.a;
    }
  }
  ADD_FAILURE() << "no memory access in asyncify_start_unwind";
  return UINT32_MAX;
}

TEST_F(Tool, MemoryIsChosenByExportName) {
  std::string in = file("in.wasm", buildFixture("two_memories.wat"));
  auto run = [&](const std::string& args) {
    return runTool(in + " -o " + path("out.wasm") + args);
  };
  ASSERT_EQ(run("").exitCode, 0);
  EXPECT_EQ(unwindDataMemory(readFile((dir_ / "out.wasm").string())), 1u);  // "memory"
  ASSERT_EQ(run(" --memory scratch").exitCode, 0);
  EXPECT_EQ(unwindDataMemory(readFile((dir_ / "out.wasm").string())), 0u);
  ASSERT_EQ(run(" --pass-arg=asyncify-memory@memory").exitCode, 0);
  EXPECT_EQ(unwindDataMemory(readFile((dir_ / "out.wasm").string())), 1u);
  EXPECT_TRUE(
      wabtAccepts(readFile((dir_ / "out.wasm").string()), "two-memories", "--enable-multi-memory"));
  fs::remove(dir_ / "out.wasm");
  // A name that no memory has is an error, also when the module has a single memory.
  auto absent = run(" --memory nope");
  EXPECT_EQ(absent.exitCode, 1);
  EXPECT_NE(absent.output.find("--memory nope: the module exports or imports no memory"),
            std::string::npos)
      << absent.output;
  std::string single = file("single.wasm", buildFixture("mvp.wat"));
  EXPECT_EQ(runTool(single + " -o " + path("out.wasm") + " --memory nope").exitCode, 1);
  auto both = run(" --memory scratch --secondary-memory");
  EXPECT_EQ(both.exitCode, 1);
  EXPECT_NE(both.output.find("give one"), std::string::npos) << both.output;
  EXPECT_FALSE(exists("out.wasm"));
}

TEST_F(Tool, OptionValuesOutOfRangeAreErrors) {
  std::string in = file("in.wasm", buildFixture("mvp.wat"));
  auto expectError = [&](const std::string& args, const std::string& message) {
    auto r = runTool(in + " -o " + path("out.wasm") + " " + args);
    EXPECT_EQ(r.exitCode, 1) << args;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << ": " << r.output;
    EXPECT_FALSE(exists("out.wasm")) << args;
  };
  for (const char* pages : {"0", "65537", "4294967297"})
    expectError(std::string("--secondary-memory --secondary-memory-size ") + pages,
                "the secondary memory's size must be 1 to 65536 pages");
  expectError("--secondary-memory --secondary-memory-size 18446744073709551617", "is too large");
  expectError("--imports @" + shellQuote(dir_.string()), "Is a directory");
  expectError("--imports env.a --pass-arg=asyncify-imports@env.b",
              "--imports and --pass-arg=asyncify-imports@... are both given");
  EXPECT_EQ(
      runTool(in + " -o " + path("out.wasm") + " --secondary-memory --secondary-memory-size 65536")
          .exitCode,
      0);
}

// Instrumenting again (--allow-instrumented) replaces the ABI's exports, globals and secondary
// memory included, instead of adding a second export of each name.
TEST_F(Tool, InstrumentingAgainReplacesTheAbiExports) {
  std::string in = file("in.wasm", buildFixture("mvp.wat"));
  const std::string abi = " --export-globals --secondary-memory";
  ASSERT_EQ(runTool(in + abi + " -o " + path("once.wasm")).exitCode, 0);
  auto refused = runTool(path("once.wasm") + abi + " -o " + path("twice.wasm"));
  EXPECT_EQ(refused.exitCode, 1);
  EXPECT_NE(refused.output.find("already instrumented"), std::string::npos) << refused.output;
  auto again = runTool(path("once.wasm") + abi + " --allow-instrumented -o " + path("twice.wasm"));
  ASSERT_EQ(again.exitCode, 0) << again.output;
  const Bytes twice = readFile((dir_ / "twice.wasm").string());
  EXPECT_TRUE(wabtAccepts(twice, "twice", "--enable-multi-memory"));
  Module m = readModule(twice);
  std::map<std::string, int> count;
  for (const auto& e : m.exports) count[e.name]++;
  for (const char* name : {"__asyncify_state", "__asyncify_data", "asyncify_memory",
                           "asyncify_start_unwind", "asyncify_get_state"})
    EXPECT_EQ(count[name], 1) << name;
}

// Outputs go through links and into pipes and devices: renaming a file over them would replace
// them (a root user's -o /dev/null would destroy the device).
TEST_F(Tool, OutputsThroughLinksAndPipes) {
  std::string in = file("in.wasm", buildFixture("mvp.wat"));
  ASSERT_EQ(runTool(in + " -o " + path("plain.wasm")).exitCode, 0);
  const Bytes expected = readFile((dir_ / "plain.wasm").string());
  fs::create_symlink("target.wasm", dir_ / "link.wasm");
  ASSERT_EQ(runTool(in + " -o " + path("link.wasm")).exitCode, 0);
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.wasm"));
  EXPECT_EQ(readFile((dir_ / "target.wasm").string()), expected);  // a dangling link filled
  ASSERT_EQ(runTool(in + " -o " + path("link.wasm")).exitCode, 0);
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.wasm"));
  // stdout and stderr are the pipe that runTool reads: the report and the module come through.
  auto piped = runTool(in + " -o /dev/stdout --report /dev/stderr");
  ASSERT_EQ(piped.exitCode, 0);
  EXPECT_NE(piped.output.find(std::string(expected.begin(), expected.end())), std::string::npos);
  EXPECT_NE(piped.output.find("\"functions\""), std::string::npos);
  auto directory = runTool(in + " -o " + shellQuote(dir_.string()));
  EXPECT_EQ(directory.exitCode, 1);
  EXPECT_NE(directory.output.find("Is a directory"), std::string::npos) << directory.output;
}

}  // namespace
}  // namespace asyncify
