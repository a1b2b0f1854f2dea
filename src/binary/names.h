// The `name` custom section: parsed into NameSection and encoded back from it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "asyncify/binary/module.h"

namespace asyncify::detail {

// Parses a name-section payload (after the section's name); nullopt when it is malformed,
// in which case the section is kept as raw bytes.
std::optional<NameSection> parseNameSection(std::span<const uint8_t> payload, uint64_t base);

// The payload (after the section's name) encoding `names`, subsections in increasing id order.
std::vector<uint8_t> encodeNameSection(const NameSection& names);

}  // namespace asyncify::detail
