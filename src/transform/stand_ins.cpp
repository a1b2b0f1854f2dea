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

bool StandIns::buildField(const StorageType& s, std::vector<uint8_t>& out, int depth,
                          std::set<uint32_t>& missing) const {
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
  return build(t.heap, out, depth + 1, missing);
}

bool StandIns::build(HeapType h, std::vector<uint8_t>& out, int depth,
                     std::set<uint32_t>& missing) const {
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
          defaultable &= f.storage.packed != StorageType::None || hasZero(f.storage.type);
        if (!defaultable) {
          for (const FieldType& f : sub.fields)
            if (!buildField(f.storage, out, depth, missing)) return false;
        }
        gcOp(out, defaultable ? kStructNewDefault : kStructNew);
        writeVarU32(out, index);
        return true;
      }
      case SubType::Func:
        out.push_back(0xd2);  // ref.func (a global's initializer declares it)
        for (uint32_t f = 0; f < m_.numFunctions(); f++) {
          const auto chain = m_.supertypeChain(m_.functionTypeIndex(f));
          if (std::find(chain.begin(), chain.end(), index) == chain.end()) continue;
          writeVarU32(out, f);
          return true;
        }
        missing.insert(index);  // addFunctions adds one, then builds this again
        writeVarU32(out, 0);
        return true;
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
        std::set<uint32_t> needs;
        if (!build(HeapType::index(t), candidate, depth, needs)) continue;
        missing.insert(needs.begin(), needs.end());
        out.insert(out.end(), candidate.begin(), candidate.end());
        return true;
      }
      return false;
    }
    default:  // exn (see standInFor), and the uninhabited bottom types
      return false;
  }
}

std::optional<StandIn> StandIns::standInFor(ValType type) {
  type.nullable = false;
  const std::string key = toString(type);
  if (auto it = byType_.find(key); it != byType_.end()) return it->second;
  std::optional<StandIn> standIn;
  Global g;
  g.type = {type, false};
  std::set<uint32_t> missing;
  if (!type.heap.isIndex() && type.heap.code == HeapType::Exn) {
    exnPlanned_ = true;
    standIn = StandIn{StandIn::Call, kExnStandInPlaceholder};
  } else if (build(type.heap, g.init.bytes, 0, missing)) {
    g.init.bytes.push_back(0x0b);
    m_.globals.push_back(std::move(g));
    const uint32_t global = m_.numGlobals() - 1;
    standIn = StandIn{StandIn::Global, global};
    m_.markChanged(SectionId::Global);
    if (!missing.empty()) {
      missingFunctionTypes_.insert(missing.begin(), missing.end());
      unfinishedGlobals_.emplace_back(m_.globals.size() - 1, type.heap);
    }
    if (m_.names) {
      m_.names->globals[global] = "__asyncify_stand_in_" + key;
      m_.markChanged(SectionId::Custom);
    }
  }
  byType_.emplace(key, standIn);
  return standIn;
}

std::optional<StandIn> StandIns::planned(ValType type) const {
  type.nullable = false;
  auto it = byType_.find(toString(type));
  return it == byType_.end() ? std::nullopt : it->second;
}

std::optional<uint32_t> StandIns::addFunctions(const std::function<uint32_t()>& tag) {
  for (uint32_t type : missingFunctionTypes_)
    m_.addFunction(type, {0x00, 0x00, 0x0b}, "__asyncify_stand_in_func_" + std::to_string(type));
  for (const auto& [defined, heap] : unfinishedGlobals_) {
    std::vector<uint8_t> init;
    std::set<uint32_t> missing;
    build(heap, init, 0, missing);  // every function type has a function now
    init.push_back(0x0b);
    m_.globals[defined].init.bytes = std::move(init);
  }
  missingFunctionTypes_.clear();
  unfinishedGlobals_.clear();
  if (!exnPlanned_) return std::nullopt;
  // block (result (ref exn)) try_table (catch_all_ref 0) throw $tag end unreachable end
  std::vector<uint8_t> body = {0x00, 0x02, 0x64, 0x69, 0x1f, 0x40, 0x01, 0x03, 0x00, 0x08};
  writeVarU32(body, tag());
  body.insert(body.end(), {0x0b, 0x00, 0x0b, 0x0b});
  const FuncType type{{}, {ValType::ref(HeapType{HeapType::Exn}, false)}};
  m_.markChanged(SectionId::Type);
  return m_.addFunction(m_.internFuncType(type), std::move(body), "__asyncify_stand_in_exn");
}

}  // namespace asyncify
