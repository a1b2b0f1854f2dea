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

// For each point (an instruction index; "live before that instruction"), the sorted live locals.
// When the bitsets would be unreasonably large, every local is reported live (still correct).
std::vector<std::vector<uint32_t>> liveLocalsAt(std::span<const Instr> code, const CodePools& pools,
                                                const ControlStructure& control, uint32_t numLocals,
                                                std::span<const uint32_t> points);

}  // namespace asyncify
