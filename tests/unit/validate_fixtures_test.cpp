// Our validator against wabt's on every module at hand: the binary and instruction fixtures
// of the other layers (which must all be valid), any module under tests/fixtures (.wasm, or
// .bin when wabt cannot assemble it), and the real-world corpus in .cache/corpus when present
// (scripts/fetch-corpus.sh fills it).
// wabt 1.0.32 cannot read GC types or the new exception handling: where it cannot even
// disassemble a module, only our verdict is checked.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "fixture_builder.h"
#include "validate_helpers.h"

namespace asyncify::test {
namespace {

namespace fs = std::filesystem;

bool wabtAcceptsFile(const fs::path& wasm, const std::string& flags) {
  std::string cmd = "wasm-validate " + flags + " " + shellQuote(wasm.string()) + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

class ValidateBinaryFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidateBinaryFixture, IsValidForBothValidators) {
  std::string name = GetParam();
  auto bytes = buildFixture(name);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(moduleVerdict(bytes), "") << name;
  EXPECT_TRUE(wabtAccepts(bytes, fs::path(name).stem().string() + ".validate", fixtureFlags(name)))
      << name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ValidateBinaryFixture, ::testing::ValuesIn(binaryFixtureNames()),
                         [](const auto& param) {
                           std::string n = param.param;
                           std::replace_if(
                               n.begin(), n.end(), [](char ch) { return !isalnum(ch); }, '_');
                           return n;
                         });

// The instruction fixtures: .wat files compiled with wat2wasm --enable-all (those wabt cannot
// compile come prebuilt as a .wasm or .bin beside them, checked by WasmFilesInTheFixtures).
std::vector<std::string> instrFixtureNames() {
  std::vector<std::string> names;
  auto dir = fs::path(ASYNCIFY_FIXTURES_DIR) / "instr";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return names;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto p = e.path();
    if (p.extension() == ".wat" && !fs::exists(fs::path(p).replace_extension(".wasm")) &&
        !fs::exists(fs::path(p).replace_extension(".bin")))
      names.push_back(p.filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ValidateInstrFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidateInstrFixture, IsValidForBothValidators) {
  auto src = fs::path(ASYNCIFY_FIXTURES_DIR) / "instr" / GetParam();
  auto out = scratchDir() / (src.stem().string() + ".instr.wasm");
  std::string cmd = "wat2wasm --enable-all " + shellQuote(src.string()) + " -o " +
                    shellQuote(out.string()) + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_EQ(moduleVerdict(readFile(out.string())), "") << src;
  EXPECT_TRUE(wabtAcceptsFile(out, "--enable-all")) << src;
}

INSTANTIATE_TEST_SUITE_P(Instr, ValidateInstrFixture, ::testing::ValuesIn(instrFixtureNames()),
                         [](const auto& param) {
                           std::string n = fs::path(param.param).stem().string();
                           std::replace_if(
                               n.begin(), n.end(), [](char ch) { return !isalnum(ch); }, '_');
                           return n;
                         });

bool wabtCanDecode(const fs::path& wasm) {
  std::string cmd = "wasm-objdump -d " + shellQuote(wasm.string()) + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// .wasm files, and .bin files that hold a module (prebuilt fixtures wabt cannot assemble).
bool isWasm(const fs::path& p) {
  if (p.extension() == ".wasm") return true;
  if (p.extension() != ".bin") return false;
  std::ifstream in(p, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in && magic[0] == 0 && magic[1] == 'a' && magic[2] == 's' && magic[3] == 'm';
}

std::vector<fs::path> wasmFilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file() && isWasm(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Each file must be valid for us; wabt must agree wherever it can decode the module.
void checkAll(const std::vector<fs::path>& files) {
  for (const auto& f : files) {
    auto start = std::chrono::steady_clock::now();
    std::string verdict = moduleVerdict(readFile(f.string()));
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(verdict, "") << f;
    bool wabt = wabtAcceptsFile(f, "--enable-all");
    if (!wabt && !wabtCanDecode(f)) {
      std::printf("  %s: wabt cannot decode it; our verdict only\n", f.filename().c_str());
    } else {
      EXPECT_TRUE(wabt) << f << ": ours says \"" << verdict << "\", wabt rejects it";
    }
    std::printf("  %s: %s in %.0f ms (%.1f MB)\n", f.filename().c_str(),
                verdict.empty() ? "valid" : "invalid", ms, fs::file_size(f) / 1e6);
  }
}

TEST(ValidateAgreement, WasmFilesInTheFixtures) {
  checkAll(wasmFilesUnder(fs::path(ASYNCIFY_FIXTURES_DIR)));
}

TEST(ValidateAgreement, RealWorldCorpus) {
  auto files = wasmFilesUnder(fs::path(ASYNCIFY_FIXTURES_DIR) / ".." / ".." / ".cache" / "corpus");
  if (files.empty()) GTEST_SKIP() << "no corpus in .cache/corpus (scripts/fetch-corpus.sh)";
  checkAll(files);
}

}  // namespace
}  // namespace asyncify::test
