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

// A bound on the work, which grows with the product of a body's locals and basic blocks. Real
// functions stay far below it (the largest seen: 9.6 million locals times instructions, in swc).
struct LivenessLimits {
  uint64_t maxLocalsTimesBlocks = uint64_t{1} << 29;  // bits per bitset array (64 MiB)
};

// What is live (may be read before being written) just before any of some points.
struct LiveAtPoints {
  std::vector<uint32_t> locals;  // sorted: live at one point or more
  uint64_t total = 0;            // the sum over the points of what is live at each
};

// Liveness at the points (instruction indices). Throws asyncify::Error when the limit would be
// passed.
LiveAtPoints liveAtPoints(std::span<const Instr> code, const CodePools& pools,
                          const ControlStructure& control, uint32_t numLocals,
                          std::span<const uint32_t> points, const LivenessLimits& limits = {});

}  // namespace asyncify
