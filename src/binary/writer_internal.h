// Encoders of whole section payloads from Module's structures (writer_sections.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "asyncify/binary/module.h"

namespace asyncify::detail {

// Appends the payload of section `id` (never Custom) to `out`; returns false when the
// section has nothing to say (no items, no start function, no data count).
bool encodeSection(const Module& m, SectionId id, std::vector<uint8_t>& out);

}  // namespace asyncify::detail
