// The command line of wasm-asyncify: our own option spellings, wasm-opt's `--pass-arg` and
// `-O` spellings, and the flags a wasm-opt command line carries that do not concern us.
#pragma once

#include <string>
#include <vector>

#include "asyncify/transform/options.h"

namespace asyncify::tool {

struct ToolOptions {
  std::string input;
  std::string output;
  AsyncifyOptions asyncify;
  bool roundtrip = false;      // read, validate, write back; no transform
  bool validateOnly = false;   // read and validate; no output
  bool validateOutput = true;  // re-read and validate what we are about to write
};

// What parsing decided: run with the options, or exit now with `exitCode` (after --help,
// --version or a usage error, whose message has been printed).
struct ParseResult {
  bool run = false;
  int exitCode = 0;
  ToolOptions options;
};

ParseResult parseCommandLine(int argc, char** argv);

}  // namespace asyncify::tool
