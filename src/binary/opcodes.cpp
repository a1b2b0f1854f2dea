#include "asyncify/binary/opcodes.h"

#include "op_tables.h"

namespace asyncify {

const OpInfo& opInfo(Op op) {
  return detail::kOpInfos[static_cast<size_t>(op)];
}

std::optional<Op> lookupOp(uint8_t prefix, uint32_t code) {
  uint16_t i = detail::decodeOp(prefix, code);
  if (i == detail::kNoOp) return std::nullopt;
  return static_cast<Op>(i);
}

}  // namespace asyncify
