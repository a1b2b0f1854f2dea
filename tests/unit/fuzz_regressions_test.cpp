// Replays fuzz/regressions/: inputs that once crashed a fuzz target, and hand-made malformed
// modules (reject-*.wasm, from fuzz/make-adversarial.py). Each input goes through the whole
// pipeline of the transform fuzz target: read, validate, transform with every import pausable,
// write, re-read, validate. It may be rejected with asyncify::Error (reject-* must be), never
// crash; an accepted input must give a valid output.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "asyncify/transform/asyncify.h"
#include "asyncify/validate/validator.h"

namespace asyncify {
namespace {

namespace fs = std::filesystem;

const fs::path kRegressions =
    fs::path(ASYNCIFY_FIXTURES_DIR) / ".." / ".." / "fuzz" / "regressions";

std::vector<fs::path> regressionInputs() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kRegressions)) {
    if (entry.path().extension() == ".wasm") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<uint8_t> readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// Returns the rejection message, or "" when the input was transformed.
std::string transformOrReject(const std::vector<uint8_t>& bytes) {
  Module module;
  try {
    module = readModule(bytes);
    validateModule(module);
    std::ostringstream log;
    asyncifyModule(module, AsyncifyOptions{}, log);
  } catch (const Error& error) {
    return error.describe();
  }
  Module output = readModule(writeModule(module));  // an Error here fails the test
  validateModule(output);
  return "";
}

TEST(FuzzRegressions, EveryInputIsTransformedOrRejectedCleanly) {
  const auto files = regressionInputs();
  ASSERT_FALSE(files.empty()) << "no inputs in " << kRegressions;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::string rejection;
    try {
      rejection = transformOrReject(readBytes(file));
    } catch (const Error& error) {
      ADD_FAILURE() << "accepted input gave an invalid output: " << error.describe();
      continue;
    }
    if (file.filename().string().starts_with("reject-")) {
      EXPECT_FALSE(rejection.empty()) << "malformed input was accepted";
    }
  }
}

}  // namespace
}  // namespace asyncify
