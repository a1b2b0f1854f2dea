// Every option of the Asyncify transform, with Binaryen's meanings (see the design comment in
// src/transform/asyncify.cpp) and the parser of Binaryen's `--pass-arg=asyncify-*` spellings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncify {

struct AsyncifyOptions {
  // "module.base" entries, globs allowed. Unset: every import may pause.
  std::optional<std::vector<std::string>> imports;
  bool ignoreImports = false;   // no import pauses except asyncify.* (an explicit list wins)
  bool ignoreIndirect = false;  // indirect calls do not make a function pausable
  bool asserts = false;
  std::vector<std::string> removeList;
  std::vector<std::string> addList;
  bool propagateAddList = false;
  std::optional<std::vector<std::string>> onlyList;
  bool importGlobals = false;  // alias: relocatable
  bool exportGlobals = false;
  // The export name of the memory for the unwind data. Unset: the only memory, or the one
  // exported as "memory" when there are several.
  std::optional<std::string> memoryExport;
  bool secondaryMemory = false;
  uint64_t secondaryMemoryPages = 1;
  bool verbose = false;
  bool boundsCheck = true;  // trap before writing a frame that would not fit
  bool allowInstrumentedInput = false;
  int optimizeLevel = 0;   // accepted for compatibility with wasm-opt command lines
  bool favorSize = false;  // -Os/-Oz: smallest output (no loop copies, no inline frames)
  // -O3/-O4: faster deep pauses for more bytes (every recursive function's frame of up to 16
  // values inline, on any cycle); --favor-size wins over it.
  bool favorSpeed = false;
  // -g: keep DWARF sections although instrumenting moves code (they are not rewritten, so their
  // addresses stay exact only before the first instrumented function); otherwise dropped.
  bool keepDwarf = false;
  // Whether the output may return several values from a function (frame restore helpers):
  // unset follows the module (it uses multi-value or declares it in target_features); wasm-opt's
  // --enable-multivalue / -all and --disable-multivalue / --mvp-features set it.
  std::optional<bool> multiValue;
  std::vector<std::string> explain;  // function names whose pausability chain to print
  std::string reportPath;            // --report FILE.json
};

// A pass argument's key without its "asyncify-" prefix ("imports" for "asyncify-imports").
std::string_view passArgName(std::string_view key);

// Applies one Binaryen pass argument (`key` without the "asyncify-" prefix is also accepted).
// Throws asyncify::Error for unknown keys or malformed lists.
void applyPassArg(AsyncifyOptions& options, std::string_view key, std::string_view value);

// Binaryen's list syntax: "@file" response files (one entry per line), newline-separated
// values, else comma-separated with pieces inside balanced ()<>[]{} rejoined (function lists).
std::vector<std::string> parseList(std::string_view value, bool rejoinBrackets);

}  // namespace asyncify
