#pragma once

#include <cstdint>
#include <vector>

#include "asyncify/binary/error.h"
#include "asyncify/binary/module.h"

namespace asyncify {

struct ReadOptions {
  // Parse the `name` section into Module::names (an invalid one is kept raw, not an error).
  bool parseNames = true;
};

// Reads a whole module. Checks the structure of every section and the encoding of every
// function body's locals; instruction decoding and typing are the validator's job.
// Throws asyncify::Error (with the byte offset and, where relevant, the feature).
Module readModule(std::vector<uint8_t> bytes, const ReadOptions& options = {});

}  // namespace asyncify
