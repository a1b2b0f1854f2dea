// Our validator against wabt's on every module at hand: the binary fixtures of the other
// layers (which must all be valid), any .wasm under tests/fixtures, and the real-world corpus
// in .cache/corpus when present (scripts/fetch-corpus.sh fills it).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

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

INSTANTIATE_TEST_SUITE_P(Fixtures, ValidateBinaryFixture,
                         ::testing::ValuesIn(binaryFixtureNames()), [](const auto& param) {
                           std::string n = param.param;
                           std::replace_if(n.begin(), n.end(), [](char ch) { return !isalnum(ch); }, '_');
                           return n;
                         });

std::vector<fs::path> wasmFilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".wasm") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Both validators give the same verdict on each file; returns how many were compared.
size_t compareAll(const std::vector<fs::path>& files) {
  for (const auto& f : files) {
    auto start = std::chrono::steady_clock::now();
    std::string verdict = moduleVerdict(readFile(f.string()));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    bool wabt = wabtAcceptsFile(f, "--enable-all");
    EXPECT_EQ(verdict.empty(), wabt) << f << ": ours says \"" << verdict << "\", wabt "
                                     << (wabt ? "accepts it" : "rejects it");
    std::printf("  %s: %s in %.0f ms (%.1f MB)\n", f.filename().c_str(),
                verdict.empty() ? "valid" : "invalid", ms, fs::file_size(f) / 1e6);
  }
  return files.size();
}

TEST(ValidateAgreement, WasmFilesInTheFixtures) {
  compareAll(wasmFilesUnder(fs::path(ASYNCIFY_FIXTURES_DIR)));
}

TEST(ValidateAgreement, RealWorldCorpus) {
  auto files = wasmFilesUnder(fs::path(ASYNCIFY_FIXTURES_DIR) / ".." / ".." / ".cache" / "corpus");
  if (files.empty()) GTEST_SKIP() << "no corpus in .cache/corpus (scripts/fetch-corpus.sh)";
  compareAll(files);
}

}  // namespace
}  // namespace asyncify::test
