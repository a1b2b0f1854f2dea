#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asyncify/binary/error.h"
#include "asyncify/binary/module.h"

namespace asyncify {

// Writes the module. Sections not marked changed are copied verbatim, so reading and writing
// an unchanged module reproduces it byte for byte. A changed section is re-encoded from the
// structures, its items keeping their input bytes where they have them; the code section is
// also re-encoded when the function section changed or a body was replaced, the data count
// when the data changed (it always states data.size()). Sections absent from the input are
// inserted in canonical order once they have contents. Custom sections keep their places
// (CustomSection::after; `replaced` ones are written from newPayload). markChanged(Custom)
// re-encodes the name section from Module::names (appended last if the input had none).
std::vector<uint8_t> writeModule(const Module& module);

// Writes to `path` through a temporary file in the same folder renamed on success, so a
// failure never leaves a partial output. Throws asyncify::Error.
void writeFileAtomically(const std::string& path, const std::vector<uint8_t>& bytes);
std::vector<uint8_t> readFile(const std::string& path);

}  // namespace asyncify
