#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asyncify/binary/error.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// Writes the module. Sections not marked changed are copied verbatim, so reading and writing
// an unchanged module reproduces it byte for byte. Custom sections keep their places; the name
// section is re-encoded from Module::names when it was changed.
std::vector<uint8_t> writeModule(const Module& module);

// Writes to `path` through a temporary file in the same folder renamed on success, so a
// failure never leaves a partial output. Throws asyncify::Error.
void writeFileAtomically(const std::string& path, const std::vector<uint8_t>& bytes);
std::vector<uint8_t> readFile(const std::string& path);

}  // namespace asyncify
