// Builds the binary fixtures of tests/fixtures/binary at test time: .wat files with wat2wasm
// (flags from a first line "`;; wat2wasm: FLAGS`"), .c files with clang for wasm32-wasi.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "asyncify/binary/writer.h"

namespace asyncify::test {

inline std::filesystem::path binaryFixturesDir() {
  return std::filesystem::path(ASYNCIFY_FIXTURES_DIR) / "binary";
}

// Source file names (not paths) of every binary fixture, sorted.
inline std::vector<std::string> binaryFixtureNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(binaryFixturesDir())) {
    auto ext = e.path().extension();
    if (ext == ".wat" || ext == ".c") names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A scratch folder private to this test process, removed when it exits.
inline std::filesystem::path scratchDir() {
  struct Scratch {
    std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                ("asyncify-test-" + std::to_string(::getpid()));
    Scratch() { std::filesystem::create_directories(dir); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  };
  static const Scratch scratch;
  return scratch.dir;
}

// The wabt feature flags a .wat fixture asks for on its first line (also used to validate it:
// wabt's --enable-all changes the typing of ref.func, so each fixture names its features).
inline std::string fixtureFlags(const std::string& name) {
  std::ifstream in(binaryFixturesDir() / name);
  std::string first;
  std::getline(in, first);
  const std::string marker = ";; wat2wasm:";
  return first.rfind(marker, 0) == 0 ? first.substr(marker.size()) : std::string();
}

// Compiles fixture `name` and returns the module's bytes; fails the test if it cannot.
inline std::vector<uint8_t> buildFixture(const std::string& name) {
  auto src = binaryFixturesDir() / name;
  // Built modules are shared by the test processes (one per test) through a cache folder;
  // each build goes to a private file renamed into place, so concurrent builds are harmless.
  auto cacheDir = std::filesystem::path(::testing::TempDir()) / "asyncify-fixture-cache";
  std::filesystem::create_directories(cacheDir);
  auto cached = cacheDir / (std::filesystem::path(name).stem().string() + ".wasm");
  std::error_code ec;
  if (std::filesystem::exists(cached, ec) &&
      std::filesystem::last_write_time(cached, ec) >= std::filesystem::last_write_time(src, ec))
    return readFile(cached.string());
  auto out = scratchDir() / (std::filesystem::path(name).stem().string() + ".wasm");
  std::string cmd;
  if (src.extension() == ".wat") {
    std::string flags = fixtureFlags(name);
    cmd = "wat2wasm --debug-names " + flags + " " + shellQuote(src.string()) + " -o " +
          shellQuote(out.string());
  } else {
    // An empty PATH keeps clang from running a wasm-opt it would find there.
    cmd = "c=$(command -v clang) && PATH=/nonexistent \"$c\" --target=wasm32-wasi -O2 " +
          shellQuote(src.string()) + " -o " + shellQuote(out.string());
  }
  int rc = std::system((cmd + " 2>&1").c_str());
  EXPECT_EQ(rc, 0) << "fixture build failed: " << cmd;
  if (rc != 0) return {};
  auto bytes = readFile(out.string());
  writeFileAtomically(cached.string(), bytes);
  return bytes;
}

// Runs wabt's independent validator on `bytes`; true when it accepts them.
inline bool wabtAccepts(const std::vector<uint8_t>& bytes, const std::string& stem,
                        const std::string& flags) {
  auto path = scratchDir() / (stem + ".check.wasm");
  writeFileAtomically(path.string(), bytes);
  std::string cmd = "wasm-validate " + flags + " " + shellQuote(path.string()) + " 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace asyncify::test
