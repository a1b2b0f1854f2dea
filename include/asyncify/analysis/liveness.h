// Which locals are live (may be read before being written) at given points of a body.
// Classic backward dataflow over the basic blocks of the structured code; exception edges
// go conservatively from every block of a try body to all of its handlers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "asyncify/analysis/control_structure.h"
#include "asyncify/binary/instr.h"

namespace asyncify {

// Bounds on the work, which grows with products of a body's dimensions. Real functions stay far
// below both (the largest seen: 9.6 million locals times instructions, in swc; 61,000 live
// locals over all the points of one function).
struct LivenessLimits {
  uint64_t maxLocalsTimesBlocks = uint64_t{1} << 29;  // bits per bitset array (64 MiB)
  uint64_t maxEntries = UINT64_MAX;                   // live locals over all the points
};

// For each point (an instruction index; "live before that instruction"), the sorted live locals.
// Throws asyncify::Error when a limit would be passed.
std::vector<std::vector<uint32_t>> liveLocalsAt(std::span<const Instr> code, const CodePools& pools,
                                                const ControlStructure& control, uint32_t numLocals,
                                                std::span<const uint32_t> points,
                                                const LivenessLimits& limits = {});

}  // namespace asyncify
