// The one place where index spaces are renumbered (adding imports shifts every defined
// function or global; removing an import shifts them back).
#pragma once

#include <cstdint>
#include <vector>

#include "asyncify/binary/module.h"

namespace asyncify {

// old index -> new index for each space; an empty vector means "unchanged".
struct IndexMap {
  std::vector<uint32_t> functions;
  std::vector<uint32_t> globals;
};

// Rewrites every reference (code, exports, start, element segments, constant expressions,
// the name section) according to `map`. Function bodies are re-encoded only if they refer to
// a moved index.
void renumber(Module& module, const IndexMap& map);

}  // namespace asyncify
