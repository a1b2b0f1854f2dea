// wasm-asyncify: read, validate, instrument, write, check our own output, then replace the
// output file atomically. Every failure is one line on stderr and exit status 1; nothing is
// written unless everything succeeded.
#include <iostream>
#include <new>

#include "asyncify/binary/error.h"
#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "asyncify/transform/asyncify.h"
#include "asyncify/validate/validator.h"
#include "cli.h"

namespace {

int run(const asyncify::tool::ToolOptions& t) {
  using namespace asyncify;
  Module module = readModule(readFile(t.input));
  validateModule(module);
  if (t.validateOnly) return 0;
  if (!t.roundtrip) asyncifyModule(module, t.asyncify, std::cout);
  std::vector<uint8_t> out = writeModule(module);
  // Output identical to the validated input needs no second check.
  if (t.validateOutput && out != module.bytes) {
    // Our own output must read and validate; a failure here is a bug of ours, reported as such.
    Module check;
    try {
      check = readModule(std::move(out));
      validateModule(check);
    } catch (const Error& e) {
      throw Error("internal error: the output does not validate: " + e.describe());
    }
    out = std::move(check.bytes);
  }
  writeFileAtomically(t.output, out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto parsed = asyncify::tool::parseCommandLine(argc, argv);
    if (!parsed.run) return parsed.exitCode;
    return run(parsed.options);
  } catch (const asyncify::Error& e) {
    std::cerr << "wasm-asyncify: error: " << e.describe() << "\n";
  } catch (const std::bad_alloc&) {
    std::cerr << "wasm-asyncify: error: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "wasm-asyncify: error: internal error: " << e.what() << "\n";
  }
  return 1;
}
