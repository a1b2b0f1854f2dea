#include "stand_ins.h"

#include <algorithm>

#include "asyncify/binary/encoding.h"
#include "code_emitter.h"

namespace asyncify {
namespace {

// Struct fields that need values of their own are built this deep at most (a recursive type
// without a nullable link has no finite value anyway).
constexpr int kMaxDepth = 4;

void gcOp(std::vector<uint8_t>& out, uint32_t op) {
  out.push_back(0xfb);
  writeVarU32(out, op);
}

constexpr uint32_t kStructNew = 0x00, kStructNewDefault = 0x01, kArrayNewFixed = 0x08,
                   kExternConvertAny = 0x1b, kRefI31 = 0x1c;

void smallI31(std::vector<uint8_t>& out) {
  out.insert(out.end(), {0x41, 0x00});  // i32.const 0
  gcOp(out, kRefI31);
}

}  // namespace

bool StandIns::buildField(const StorageType& s, std::vector<uint8_t>& out, int depth) const {
  if (s.packed != StorageType::None) {
    out.insert(out.end(), {0x41, 0x00});
    return true;
  }
  const ValType t = s.type;
  if (!t.isRef()) {
    ConstExpr zero = zeroConst(t);
    out.insert(out.end(), zero.bytes.begin(), zero.bytes.end() - 1);  // without its `end`
    return true;
  }
  if (t.nullable) {
    out.push_back(0xd0);  // ref.null
    writeVarS32(out, t.heap.code);
    return true;
  }
  return build(t.heap, out, depth + 1);
}

bool StandIns::build(HeapType h, std::vector<uint8_t>& out, int depth) const {
  if (depth > kMaxDepth) return false;
  if (h.isIndex()) {
    const uint32_t index = h.typeIndex();
    const SubType& sub = m_.types.at(index);
    switch (sub.kind) {
      case SubType::Array:
        gcOp(out, kArrayNewFixed);  // no elements: any element type will do
        writeVarU32(out, index);
        writeVarU32(out, 0);
        return true;
      case SubType::Struct: {
        bool defaultable = true;
        for (const FieldType& f : sub.fields)
          defaultable &= f.storage.packed != StorageType::None || !f.storage.type.isRef() ||
                         f.storage.type.nullable;
        if (!defaultable) {
          for (const FieldType& f : sub.fields)
            if (!buildField(f.storage, out, depth)) return false;
        }
        gcOp(out, defaultable ? kStructNewDefault : kStructNew);
        writeVarU32(out, index);
        return true;
      }
      case SubType::Func:
        for (uint32_t f = 0; f < m_.numFunctions(); f++) {
          const auto chain = m_.supertypeChain(m_.functionTypeIndex(f));
          if (std::find(chain.begin(), chain.end(), index) == chain.end()) continue;
          out.push_back(0xd2);  // ref.func (a global's initializer declares it)
          writeVarU32(out, f);
          return true;
        }
        return false;
    }
    return false;
  }
  switch (h.code) {
    case HeapType::Any:
    case HeapType::Eq:
    case HeapType::I31:
      smallI31(out);
      return true;
    case HeapType::Extern:
      smallI31(out);
      gcOp(out, kExternConvertAny);
      return true;
    case HeapType::Func:
      if (m_.numFunctions() == 0) return false;
      out.push_back(0xd2);
      writeVarU32(out, 0);
      return true;
    case HeapType::Struct:
    case HeapType::Array: {
      const auto kind = h.code == HeapType::Struct ? SubType::Struct : SubType::Array;
      for (uint32_t t = 0; t < m_.types.size(); t++) {
        if (m_.types[t].kind != kind) continue;
        std::vector<uint8_t> candidate;
        if (!build(HeapType::index(t), candidate, depth)) continue;
        out.insert(out.end(), candidate.begin(), candidate.end());
        return true;
      }
      return false;
    }
    default:  // exn (thrown only), and the uninhabited bottom types
      return false;
  }
}

std::optional<uint32_t> StandIns::globalFor(ValType type) {
  type.nullable = false;
  const std::string key = toString(type);
  if (auto it = byType_.find(key); it != byType_.end()) return it->second;
  std::optional<uint32_t> global;
  Global g;
  g.type = {type, false};
  if (build(type.heap, g.init.bytes, 0)) {
    g.init.bytes.push_back(0x0b);
    m_.globals.push_back(std::move(g));
    global = m_.numGlobals() - 1;
    m_.markChanged(SectionId::Global);
    if (m_.names) {
      m_.names->globals[*global] = "__asyncify_stand_in_" + key;
      m_.markChanged(SectionId::Custom);
    }
  }
  byType_.emplace(key, global);
  return global;
}

}  // namespace asyncify
