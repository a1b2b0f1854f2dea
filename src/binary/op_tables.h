// Compile-time operator tables shared by opcodes.cpp and the instruction codec (kept out of
// the public header: the decoder indexes them directly on its hot path).
#pragma once

#include <array>
#include <string_view>

#include "asyncify/binary/opcodes.h"

namespace asyncify::detail {

// log2 of the bytes a memory operator accesses, read from its mnemonic: the width after
// load/store/rmw/wait ("i64.load32_s" -> 4 bytes, "v128.load8x8_s" -> 8 bytes), else the
// width of the type before the first dot.
constexpr uint8_t accessLog2(std::string_view text) {
  for (std::string_view kw : {"load", "store", "rmw", "wait"}) {
    size_t at = text.find(kw);
    if (at == std::string_view::npos) continue;
    size_t p = at + kw.size();
    unsigned bits = 0;
    while (p < text.size() && text[p] >= '0' && text[p] <= '9')
      bits = bits * 10 + (text[p++] - '0');
    if (!bits) break;
    if (p < text.size() && text[p] == 'x') {
      unsigned count = 0;
      ++p;
      while (p < text.size() && text[p] >= '0' && text[p] <= '9')
        count = count * 10 + (text[p++] - '0');
      bits *= count;
    }
    uint8_t log = 0;
    for (unsigned bytes = bits / 8; bytes > 1; bytes >>= 1) ++log;
    return log;
  }
  if (text.starts_with("i64") || text.starts_with("f64")) return 3;
  if (text.starts_with("v128")) return 4;
  return 2;  // i32, f32, memory.atomic.notify
}

constexpr uint8_t alignFor(std::string_view text, ImmKind imm) {
  return imm == ImmKind::MemArg || imm == ImmKind::MemArgLane ? accessLog2(text) : 0;
}

inline constexpr OpInfo kOpInfos[] = {
#define WASM_OP(name, text, prefix, code, imm, feature, sig) \
  {text, prefix, code, ImmKind::imm, Feature::feature, sig, alignFor(text, ImmKind::imm)},
#include "asyncify/binary/opcodes.def"
#undef WASM_OP
};
static_assert(std::size(kOpInfos) == kOpCount);

// The immediate kind alone, densely packed: what the decoder's dispatch reads per instruction
// (the full OpInfo table is ~36 KB, this one under 1 KB).
inline constexpr auto kImmKinds = [] {
  std::array<ImmKind, kOpCount> kinds{};
  for (size_t i = 0; i < kOpCount; ++i) kinds[i] = kOpInfos[i].imm;
  return kinds;
}();

constexpr uint16_t kNoOp = 0xffff;

// Dense decode tables, one per prefix, indexed by the (sub-)opcode.
template <uint8_t Prefix, size_t N>
constexpr std::array<uint16_t, N> makeDecodeTable() {
  std::array<uint16_t, N> table{};
  for (auto& e : table) e = kNoOp;
  for (size_t i = 0; i < kOpCount; ++i)
    if (kOpInfos[i].prefix == Prefix) table[kOpInfos[i].code] = static_cast<uint16_t>(i);
  return table;
}

inline constexpr auto kDecodeMain = makeDecodeTable<0, 256>();
inline constexpr auto kDecodeGc = makeDecodeTable<0xfb, 32>();
inline constexpr auto kDecodeMisc = makeDecodeTable<0xfc, 32>();
inline constexpr auto kDecodeSimd = makeDecodeTable<0xfd, 0x120>();
inline constexpr auto kDecodeAtomic = makeDecodeTable<0xfe, 0x50>();

// The operator for (prefix, code), or kNoOp.
inline uint16_t decodeOp(uint8_t prefix, uint32_t code) {
  switch (prefix) {
    case 0:
      return code < 256 ? kDecodeMain[code] : kNoOp;
    case 0xfb:
      return code < kDecodeGc.size() ? kDecodeGc[code] : kNoOp;
    case 0xfc:
      return code < kDecodeMisc.size() ? kDecodeMisc[code] : kNoOp;
    case 0xfd:
      return code < kDecodeSimd.size() ? kDecodeSimd[code] : kNoOp;
    case 0xfe:
      return code < kDecodeAtomic.size() ? kDecodeAtomic[code] : kNoOp;
    default:
      return kNoOp;
  }
}

}  // namespace asyncify::detail
