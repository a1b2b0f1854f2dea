#include "cli.h"

// CLI11's inline code trips GCC 12's -Wnull-dereference analysis (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>

#include "asyncify/binary/error.h"

#ifndef ASYNCIFY_VERSION
#define ASYNCIFY_VERSION "0.1.0"
#endif

namespace asyncify::tool {

namespace {

// wasm-opt's -O0..-O4/-Os/-Oz (and bare -O): Os/Oz optimize at level 2 like wasm-opt does, and
// ask for the smallest output (see isSizeLevel).
std::optional<int> optimizeLevel(std::string_view arg) {
  if (arg == "-O") return 2;
  if (arg.size() != 3 || !arg.starts_with("-O")) return std::nullopt;
  char c = arg[2];
  if (c >= '0' && c <= '4') return c - '0';
  if (c == 's' || c == 'z') return 2;
  return std::nullopt;
}

bool isSizeLevel(std::string_view arg) {
  return arg == "-Os" || arg == "-Oz";
}

// wasm-opt's -O3 and -O4 trade size for speed; here that means inline frames (favorSpeed).
bool isSpeedLevel(std::string_view arg) {
  return arg == "-O3" || arg == "-O4";
}

// wasm-opt's feature flags say what the output may use. Reading needs none of them (every
// feature we know is read); the one the transform can make use of is multi-value.
bool isFeatureFlag(std::string_view arg) {
  return arg == "-all" || arg == "--all-features" || arg == "--mvp-features" ||
         arg == "--detect-features" || arg.starts_with("--enable-") ||
         arg.starts_with("--disable-");
}

void applyFeatureFlag(AsyncifyOptions& o, std::string_view arg) {
  if (arg == "-all" || arg == "--all-features" || arg == "--enable-multivalue") o.multiValue = true;
  if (arg == "--mvp-features" || arg == "--disable-multivalue") o.multiValue = false;
}

// The flag of wasm-opt command lines that has no meaning here: the pass name itself.
bool isIgnoredWasmOptFlag(std::string_view arg) {
  return arg == "--asyncify";
}

// KEY@VALUE as {KEY, VALUE}; KEY alone (a set flag) has an empty value.
std::pair<std::string_view, std::string_view> splitPassArg(std::string_view arg) {
  size_t at = arg.find('@');
  return {arg.substr(0, at),
          at == std::string_view::npos ? std::string_view() : arg.substr(at + 1)};
}

}  // namespace

ParseResult parseCommandLine(int argc, char** argv) {
  ParseResult result;
  ToolOptions& t = result.options;
  AsyncifyOptions& o = t.asyncify;

  for (int i = 1; i < argc; ++i)  // in order, as wasm-opt does: the last one wins
    if (isFeatureFlag(argv[i])) applyFeatureFlag(o, argv[i]);
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {  // CLI11 takes the arguments in reverse order
    std::string_view a = argv[i];
    if (auto level = optimizeLevel(a)) {
      o.optimizeLevel = *level;
      o.favorSize = o.favorSize || isSizeLevel(a);
      o.favorSpeed = o.favorSpeed || isSpeedLevel(a);
      continue;
    }
    if (isIgnoredWasmOptFlag(a) || isFeatureFlag(a)) continue;
    args.emplace_back(a);
  }

  CLI::App app(
      "Instruments a WebAssembly module so that its call stack can be unwound and "
      "rewound around asynchronous imports (the Asyncify ABI).",
      "wasm-asyncify");
  app.set_version_flag("--version", "wasm-asyncify " ASYNCIFY_VERSION);
  app.add_option("input", t.input, "input .wasm file")->required()->type_name("FILE");
  app.add_option("-o,--output", t.output, "output .wasm file")->type_name("FILE");

  // Options carrying a value go through applyPassArg, so both spellings share one parser.
  std::vector<std::pair<std::string, std::vector<std::string>>> valued = {
      {"imports", {}},  {"removelist", {}}, {"addlist", {}},
      {"onlylist", {}}, {"memory", {}},     {"secondary-memory-size", {}}};
  auto addValued = [&](const char* flag, size_t slot, const char* help) {
    app.add_option(flag, valued[slot].second, help)
        ->allow_extra_args(false)
        ->type_name(slot < 4    ? "LIST"
                    : slot == 4 ? "NAME"
                                : "PAGES");
  };
  addValued("--imports", 0, "imports that may pause: module.base,... (globs, @file)");
  addValued("--removelist", 1, "functions never instrumented (names, globs, @file)");
  addValued("--addlist", 2, "functions always instrumented");
  addValued("--onlylist", 3, "instrument exactly these functions");
  addValued("--memory", 4, "the memory (export or import name) for the unwind data");
  addValued("--secondary-memory-size", 5, "pages of the secondary memory (default 1)");

  bool relocatable = false;
  app.add_flag("--ignore-imports", o.ignoreImports, "no import pauses except asyncify.*");
  app.add_flag("--ignore-indirect", o.ignoreIndirect, "indirect calls do not pause");
  app.add_flag("--asserts", o.asserts, "trap when a non-instrumented call changes the state");
  app.add_flag("--propagate-addlist", o.propagateAddList, "apply the add-list before propagation");
  app.add_flag("--import-globals,--relocatable", relocatable,
               "import __asyncify_state/__asyncify_data from env");
  app.add_flag("--export-globals", o.exportGlobals, "export __asyncify_state/__asyncify_data");
  app.add_flag("--secondary-memory", o.secondaryMemory, "keep the unwind data in a new memory");
  app.add_flag("--verbose", o.verbose, "explain which functions are instrumented and why");
  app.add_flag("--favor-size", o.favorSize,
               "smallest output: no loop copies, no inline frames (also -Os, -Oz)");
  app.add_flag("--favor-speed", o.favorSpeed,
               "faster deep pauses, larger output: recursive functions save frames of up to "
               "16 values inline (also -O3, -O4; --favor-size wins)");
  bool noBoundsCheck = false;
  app.add_flag("--no-bounds-check", noBoundsCheck, "do not check the unwind buffer's end");
  app.add_option("--explain", o.explain, "print why NAME is instrumented (repeatable)")
      ->allow_extra_args(false)
      ->type_name("NAME");
  app.add_option("--report", o.reportPath, "write a JSON report of the transform")
      ->type_name("FILE.json");
  app.add_flag("-g,--debuginfo", o.keepDwarf,
               "keep DWARF sections, not rewritten: exact only before the first instrumented "
               "function (names are always kept)");
  app.add_flag("--allow-instrumented", o.allowInstrumentedInput,
               "accept a module that is already instrumented");
  std::vector<std::string> passArgs;
  app.add_option("--pass-arg", passArgs, "wasm-opt spelling: asyncify-KEY@VALUE (repeatable)")
      ->allow_extra_args(false)
      ->type_name("KEY@VALUE");
  app.add_flag("--roundtrip", t.roundtrip, "read, validate and write back without transforming");
  app.add_flag("--validate-only", t.validateOnly, "read and validate only");
  bool noValidateOutput = false;
  app.add_flag("--no-validate-output", noValidateOutput,
               "skip re-reading and validating the output");
  app.footer(
      "wasm-opt spellings are accepted too: --asyncify, -O0..-O4/-Os/-Oz, "
      "--pass-arg=asyncify-imports@env.sleep, --enable-*/--disable-*/-all/"
      "--mvp-features (only multivalue matters: restoring a frame may then return several "
      "values at once).");

  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    result.exitCode = app.exit(e);
    return result;
  } catch (const CLI::CallForVersion& e) {
    result.exitCode = app.exit(e);
    return result;
  } catch (const CLI::ParseError& e) {
    std::cerr << "wasm-asyncify: error: " << e.what() << "\n"
              << "Run with --help for more information.\n";
    result.exitCode = 1;
    return result;
  }

  for (const auto& [key, values] : valued)
    for (const auto& v : values) applyPassArg(o, key, v);
  // Repeated --imports/--onlylist add up (the pass argument itself replaces the list).
  auto accumulate = [](std::optional<std::vector<std::string>>& list,
                       const std::vector<std::string>& values, bool rejoin) {
    if (values.size() < 2) return;
    list.emplace();
    for (const auto& v : values)
      for (auto& item : parseList(v, rejoin)) list->push_back(std::move(item));
  };
  accumulate(o.imports, valued[0].second, false);
  accumulate(o.onlyList, valued[3].second, true);
  for (const auto& p : passArgs) {
    const auto [key, value] = splitPassArg(p);
    // One list given in both spellings: neither may silently replace the other.
    for (const auto& [name, values] : valued)
      if (passArgName(key) == name && !values.empty())
        throw Error("--" + name + " and --pass-arg=asyncify-" + name + "@... are both given");
    applyPassArg(o, key, value);
  }
  if (relocatable) o.importGlobals = true;
  if (noBoundsCheck) o.boundsCheck = false;
  t.validateOutput = !noValidateOutput;
  if (t.output.empty() && !t.validateOnly)
    throw Error("no output file given (use -o OUTPUT, or --validate-only)");
  result.run = true;
  return result;
}

}  // namespace asyncify::tool
