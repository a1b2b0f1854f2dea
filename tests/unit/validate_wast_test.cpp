// Script-driven validator tests: each tests/fixtures/validate/*.wast holds valid modules and
// `assert_invalid` modules whose text is a fragment of our expected message. wast2json turns
// them into binaries (without checking them); both our validator and wabt's must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "asyncify/binary/error.h"
#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "asyncify/validate/validator.h"
#include "fixture_builder.h"
#include "validate_helpers.h"

namespace asyncify::test {
namespace {

std::filesystem::path validateFixturesDir() {
  return std::filesystem::path(ASYNCIFY_FIXTURES_DIR) / "validate";
}

std::vector<std::string> wastNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(validateFixturesDir()))
    if (e.path().extension() == ".wast") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string ourVerdict(const std::filesystem::path& wasm) {
  return moduleVerdict(readFile(wasm.string()));
}

// wabt 1.0.32 types ref.func as a typed reference under --enable-all but then rejects it where
// a funcref is expected, so the comparison leaves typed function references and GC out (they
// are covered by the hand-built tests).
const char* const kWabtFeatures =
    "--enable-exceptions --enable-threads --enable-tail-call --enable-memory64 "
    "--enable-multi-memory --enable-extended-const --enable-relaxed-simd";

bool wabtValid(const std::filesystem::path& wasm) {
  std::string cmd = std::string("wasm-validate ") + kWabtFeatures + " " +
                    shellQuote(wasm.string()) + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

class ValidateWast : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidateWast, BothValidatorsAgreeWithTheScript) {
  auto name = GetParam();
  auto dir = scratchDir() / std::filesystem::path(name).stem();
  std::filesystem::create_directories(dir);
  auto json = dir / "script.json";
  std::string cmd = std::string("wast2json ") + kWabtFeatures + " " +
                    shellQuote((validateFixturesDir() / name).string()) + " -o " +
                    shellQuote(json.string()) + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(json);
  auto script = nlohmann::json::parse(in);
  int valid = 0, invalid = 0;
  for (const auto& c : script["commands"]) {
    std::string type = c["type"];
    if (type != "module" && type != "assert_invalid") continue;
    auto wasm = dir / c["filename"].get<std::string>();
    std::string where = name + ":" + std::to_string(c["line"].get<int>());
    std::string verdict = ourVerdict(wasm);
    if (type == "module") {
      ++valid;
      EXPECT_EQ(verdict, "") << where;
      EXPECT_TRUE(wabtValid(wasm)) << where << ": wabt rejects a module the script calls valid";
    } else {
      ++invalid;
      std::string expected = c["text"];
      // "[wabt accepts] ": a rule wabt 1.0.32 does not check; the script records that too.
      const std::string gap = "[wabt accepts] ";
      bool wabtGap = expected.rfind(gap, 0) == 0;
      if (wabtGap) expected = expected.substr(gap.size());
      EXPECT_NE(verdict.find(expected), std::string::npos)
          << where << ": expected an error containing \"" << expected << "\", got \"" << verdict
          << "\"";
      EXPECT_EQ(wabtValid(wasm), wabtGap)
          << where
          << (wabtGap ? ": wabt now rejects it: drop the [wabt accepts] mark"
                      : ": wabt accepts a module the script calls invalid");
    }
  }
  EXPECT_GT(valid + invalid, 0);
  RecordProperty("modules", valid + invalid);
}

INSTANTIATE_TEST_SUITE_P(Scripts, ValidateWast, ::testing::ValuesIn(wastNames()),
                         [](const auto& param) {
                           std::string n = std::filesystem::path(param.param).stem().string();
                           std::replace_if(
                               n.begin(), n.end(), [](char ch) { return !isalnum(ch); }, '_');
                           return n;
                         });

}  // namespace
}  // namespace asyncify::test
