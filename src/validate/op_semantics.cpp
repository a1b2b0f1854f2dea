// Builds the validator's view of every operator from the opcode table. Dedicated rules are
// keyed by binary opcode (prefix, code), which the specification fixes, so the checker does not
// depend on how operators are spelled in the enum.
#include "op_semantics.h"

#include <optional>
#include <vector>

namespace asyncify::validate {
namespace {

constexpr uint32_t key(uint32_t prefix, uint32_t code) {
  return prefix << 16 | code;
}

struct Rule {
  uint32_t key;
  VOp vop;
};

// clang-format off
constexpr Rule kRules[] = {
    {key(0, 0x00), VOp::Unreachable}, {key(0, 0x01), VOp::Nop}, {key(0, 0x02), VOp::Block},
    {key(0, 0x03), VOp::Loop}, {key(0, 0x04), VOp::If}, {key(0, 0x05), VOp::Else},
    {key(0, 0x06), VOp::Try}, {key(0, 0x07), VOp::Catch}, {key(0, 0x08), VOp::Throw},
    {key(0, 0x09), VOp::Rethrow}, {key(0, 0x0a), VOp::ThrowRef}, {key(0, 0x0b), VOp::End},
    {key(0, 0x0c), VOp::Br}, {key(0, 0x0d), VOp::BrIf}, {key(0, 0x0e), VOp::BrTable},
    {key(0, 0x0f), VOp::Return}, {key(0, 0x10), VOp::Call}, {key(0, 0x11), VOp::CallIndirect},
    {key(0, 0x12), VOp::ReturnCall}, {key(0, 0x13), VOp::ReturnCallIndirect},
    {key(0, 0x14), VOp::CallRef}, {key(0, 0x15), VOp::ReturnCallRef}, {key(0, 0x18), VOp::Delegate},
    {key(0, 0x19), VOp::CatchAll}, {key(0, 0x1a), VOp::Drop}, {key(0, 0x1b), VOp::Select},
    {key(0, 0x1c), VOp::SelectTyped}, {key(0, 0x1f), VOp::TryTable}, {key(0, 0x20), VOp::LocalGet},
    {key(0, 0x21), VOp::LocalSet}, {key(0, 0x22), VOp::LocalTee}, {key(0, 0x23), VOp::GlobalGet},
    {key(0, 0x24), VOp::GlobalSet}, {key(0, 0x25), VOp::TableGet}, {key(0, 0x26), VOp::TableSet},
    {key(0, 0x3f), VOp::MemorySize}, {key(0, 0x40), VOp::MemoryGrow}, {key(0, 0xd0), VOp::RefNull},
    {key(0, 0xd1), VOp::RefIsNull}, {key(0, 0xd2), VOp::RefFunc}, {key(0, 0xd3), VOp::RefEq},
    {key(0, 0xd4), VOp::RefAsNonNull}, {key(0, 0xd5), VOp::BrOnNull},
    {key(0, 0xd6), VOp::BrOnNonNull}, {key(0xfc, 8), VOp::MemoryInit},
    {key(0xfc, 9), VOp::DataDrop}, {key(0xfc, 10), VOp::MemoryCopy},
    {key(0xfc, 11), VOp::MemoryFill}, {key(0xfc, 12), VOp::TableInit},
    {key(0xfc, 13), VOp::ElemDrop}, {key(0xfc, 14), VOp::TableCopy},
    {key(0xfc, 15), VOp::TableGrow}, {key(0xfc, 16), VOp::TableSize},
    {key(0xfc, 17), VOp::TableFill}, {key(0xfb, 0), VOp::StructNew},
    {key(0xfb, 1), VOp::StructNewDefault}, {key(0xfb, 2), VOp::StructGet},
    {key(0xfb, 3), VOp::StructGetS}, {key(0xfb, 4), VOp::StructGetU},
    {key(0xfb, 5), VOp::StructSet}, {key(0xfb, 6), VOp::ArrayNew},
    {key(0xfb, 7), VOp::ArrayNewDefault}, {key(0xfb, 8), VOp::ArrayNewFixed},
    {key(0xfb, 9), VOp::ArrayNewData}, {key(0xfb, 10), VOp::ArrayNewElem},
    {key(0xfb, 11), VOp::ArrayGet}, {key(0xfb, 12), VOp::ArrayGetS},
    {key(0xfb, 13), VOp::ArrayGetU}, {key(0xfb, 14), VOp::ArraySet}, {key(0xfb, 15), VOp::ArrayLen},
    {key(0xfb, 16), VOp::ArrayFill}, {key(0xfb, 17), VOp::ArrayCopy},
    {key(0xfb, 18), VOp::ArrayInitData}, {key(0xfb, 19), VOp::ArrayInitElem},
    {key(0xfb, 20), VOp::RefTest}, {key(0xfb, 21), VOp::RefTestNull}, {key(0xfb, 22), VOp::RefCast},
    {key(0xfb, 23), VOp::RefCastNull}, {key(0xfb, 24), VOp::BrOnCast},
    {key(0xfb, 25), VOp::BrOnCastFail}, {key(0xfb, 26), VOp::AnyConvertExtern},
    {key(0xfb, 27), VOp::ExternConvertAny}, {key(0xfb, 28), VOp::RefI31},
    {key(0xfb, 29), VOp::I31GetS}, {key(0xfb, 30), VOp::I31GetU},
};
// clang-format on

// Natural alignment (log2 of bytes) of memory accesses, by opcode.
std::optional<uint8_t> naturalAlignment(uint32_t prefix, uint32_t code) {
  if (prefix == 0 && code >= 0x28 && code <= 0x3e) {
    static constexpr uint8_t mvp[] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2,  // loads
                                      2, 3, 2, 3, 0, 1, 0, 1, 2};                // stores
    return mvp[code - 0x28];
  }
  if (prefix == 0xfd) {
    if (code == 0x00 || code == 0x0b) return 4;            // v128.load / v128.store
    if (code >= 0x01 && code <= 0x06) return 3;            // v128.loadNxM_s/u
    if (code >= 0x07 && code <= 0x0a) return code - 0x07;  // load*_splat
    if (code == 0x5c) return 2;                            // v128.load32_zero
    if (code == 0x5d) return 3;                            // v128.load64_zero
    if (code >= 0x54 && code <= 0x57) return code - 0x54;  // load*_lane
    if (code >= 0x58 && code <= 0x5b) return code - 0x58;  // store*_lane
    return std::nullopt;
  }
  if (prefix == 0xfe) {
    if (code == 0x00 || code == 0x01) return 2;  // memory.atomic.notify / wait32
    if (code == 0x02) return 3;                  // memory.atomic.wait64
    if (code >= 0x10 && code <= 0x1d) {
      static constexpr uint8_t plain[] = {2, 3, 0, 1, 0, 1, 2, 2, 3, 0, 1, 0, 1, 2};
      return plain[code - 0x10];
    }
    if (code >= 0x1e && code <= 0x4e) {
      static constexpr uint8_t rmw[] = {2, 3, 0, 1, 0, 1, 2};
      return rmw[(code - 0x1e) % 7];
    }
  }
  return std::nullopt;
}

// Lane count of SIMD lane immediates, by opcode.
uint8_t laneCount(uint32_t prefix, uint32_t code) {
  if (prefix != 0xfd) return 0;
  if (code >= 0x15 && code <= 0x17) return 16;
  if (code >= 0x18 && code <= 0x1a) return 8;
  if (code >= 0x1b && code <= 0x1c) return 4;
  if (code >= 0x1d && code <= 0x1e) return 2;
  if (code >= 0x1f && code <= 0x20) return 4;
  if (code >= 0x21 && code <= 0x22) return 2;
  if (code >= 0x54 && code <= 0x57) return static_cast<uint8_t>(16 >> (code - 0x54));
  if (code >= 0x58 && code <= 0x5b) return static_cast<uint8_t>(16 >> (code - 0x58));
  return 0;
}

bool parseSigType(char c, SigType& out) {
  switch (c) {
    case 'i':
      out = SigType::I32;
      return true;
    case 'I':
      out = SigType::I64;
      return true;
    case 'f':
      out = SigType::F32;
      return true;
    case 'F':
      out = SigType::F64;
      return true;
    case 'v':
      out = SigType::V128;
      return true;
    case 'a':
      out = SigType::Addr;
      return true;
    default:
      return false;
  }
}

// "params:results" into `s`; false when the text is not of that form.
bool parseSignature(std::string_view text, OpSemantics& s) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  auto params = text.substr(0, colon), results = text.substr(colon + 1);
  if (params.size() > 4 || results.size() > 2) return false;
  for (char c : params)
    if (!parseSigType(c, s.params[s.paramCount++])) return false;
  for (char c : results)
    if (!parseSigType(c, s.results[s.resultCount++])) return false;
  return true;
}

OpSemantics build(const OpInfo& info) {
  OpSemantics s;
  uint32_t k = key(info.prefix, info.code);
  for (const Rule& r : kRules)
    if (r.key == k) {
      s.vop = r.vop;
      return s;
    }
  if (info.signature == "*" || !parseSignature(info.signature, s)) return OpSemantics{};
  s.vop = VOp::Generic;
  bool hasAddr = false;
  for (unsigned i = 0; i < s.paramCount; ++i) hasAddr |= s.params[i] == SigType::Addr;
  for (unsigned i = 0; i < s.resultCount; ++i) hasAddr |= s.results[i] == SigType::Addr;
  switch (info.imm) {
    case ImmKind::MemArg:
    case ImmKind::MemArgLane: {
      auto align = naturalAlignment(info.prefix, info.code);
      if (!align) return OpSemantics{};
      s.alignLog2 = *align;
      s.atomic = info.prefix == 0xfe;
      s.usesMemory = true;
      s.memArg = true;
      if (info.imm == ImmKind::MemArgLane && !(s.lanes = laneCount(info.prefix, info.code)))
        return OpSemantics{};
      break;
    }
    case ImmKind::Lane:
      if (!(s.lanes = laneCount(info.prefix, info.code))) return OpSemantics{};
      break;
    case ImmKind::Memory:
      s.usesMemory = true;
      break;
    case ImmKind::Shuffle:
      s.shuffle = true;
      break;
    case ImmKind::None:
    case ImmKind::I32:
    case ImmKind::I64:
    case ImmKind::F32:
    case ImmKind::F64:
    case ImmKind::V128:
    case ImmKind::Zero:
      break;
    default:
      return OpSemantics{};  // immediates that need a dedicated rule
  }
  if (hasAddr && !s.usesMemory) return OpSemantics{};
  return s;
}

}  // namespace

const OpSemantics* semanticsTable() {
  static const std::vector<OpSemantics> table = [] {
    std::vector<OpSemantics> t(static_cast<size_t>(Op::Count_));
    for (size_t i = 0; i < t.size(); ++i) t[i] = build(opInfo(static_cast<Op>(i)));
    return t;
  }();
  return table.data();
}

}  // namespace asyncify::validate
