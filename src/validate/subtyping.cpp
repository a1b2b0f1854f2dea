// Subtyping and type identity of the GC proposal (which includes the typed function
// references proposal): abstract heap type hierarchies, declared supertype chains, and
// iso-recursive equivalence of rec groups through canonical ids.
#include <string>
#include <unordered_map>

#include "asyncify/binary/error.h"
#include "type_context.h"

namespace asyncify::validate {
namespace {

using H = HeapType;

bool inAnyHierarchy(int32_t c) {
  return c == H::Any || c == H::Eq || c == H::I31 || c == H::Struct || c == H::Array ||
         c == H::None;
}

// Abstract-to-abstract subtyping.
bool abstractSub(int32_t a, int32_t b) {
  if (a == b) return true;
  switch (a) {
    case H::Eq:
      return b == H::Any;
    case H::I31:
    case H::Struct:
    case H::Array:
      return b == H::Eq || b == H::Any;
    case H::None:
      return inAnyHierarchy(b);
    case H::NoFunc:
      return b == H::Func;
    case H::NoExtern:
      return b == H::Extern;
    case H::NoExn:
      return b == H::Exn;
    default:
      return false;
  }
}

// Appends a value type to a structural key: references inside the rec group are relative,
// references outside it are canonical ids of earlier types.
void keyValType(std::u32string& key, ValType t, uint32_t groupStart, uint32_t groupEnd,
                const std::vector<uint32_t>& canon) {
  key.push_back(t.kind);
  if (t.kind != ValType::Ref) return;
  key.push_back(t.nullable);
  if (!t.heap.isIndex()) {
    key.push_back(static_cast<char32_t>(t.heap.code & 0xff));
  } else if (t.heap.typeIndex() >= groupStart && t.heap.typeIndex() < groupEnd) {
    key.push_back(0x100);
    key.push_back(t.heap.typeIndex() - groupStart);
  } else {
    key.push_back(0x200);
    uint32_t i = t.heap.typeIndex();
    key.push_back(i < canon.size() ? canon[i] : 0xffffffffu);
  }
}

}  // namespace

bool TypeContext::matchesAll(std::span<const ValType> sub, std::span<const ValType> super) const {
  if (sub.size() != super.size()) return false;
  for (size_t i = 0; i < sub.size(); ++i)
    if (!matches(sub[i], super[i])) return false;
  return true;
}

void TypeContext::canonicalize() const {
  const auto& types = module_.types;
  canon_.assign(types.size(), 0);
  std::unordered_map<std::u32string, uint32_t> groups;  // key -> first index of the group
  std::u32string key;
  for (uint32_t start = 0; start < types.size();) {
    uint32_t size = types[start].recGroupSize ? types[start].recGroupSize : 1;
    uint32_t end = start + size > types.size() ? static_cast<uint32_t>(types.size()) : start + size;
    key.clear();
    key.push_back(end - start);
    for (uint32_t i = start; i < end; ++i) {
      const SubType& t = types[i];
      key.push_back(0x300 + t.kind * 2 + (t.final ? 1 : 0));
      key.push_back(static_cast<char32_t>(t.supertypes.size()));
      for (uint32_t s : t.supertypes)
        keyValType(key, ValType::ref(H::index(s), false), start, end, canon_);
      switch (t.kind) {
        case SubType::Func:
          key.push_back(static_cast<char32_t>(t.func.params.size()));
          for (auto p : t.func.params) keyValType(key, p, start, end, canon_);
          key.push_back(static_cast<char32_t>(t.func.results.size()));
          for (auto r : t.func.results) keyValType(key, r, start, end, canon_);
          break;
        case SubType::Struct:
        case SubType::Array:
          key.push_back(static_cast<char32_t>(t.fields.size()));
          for (const auto& f : t.fields) {
            key.push_back(f.mutable_ ? 1 : 0);
            key.push_back(f.storage.packed);
            if (f.storage.packed == StorageType::None)
              keyValType(key, f.storage.type, start, end, canon_);
          }
          break;
      }
    }
    auto [it, inserted] = groups.emplace(key, start);
    for (uint32_t i = start; i < end; ++i) canon_[i] = it->second + (i - start);
    start = end;
  }
  canonReady_ = true;
}

bool TypeContext::sameType(uint32_t a, uint32_t b) const {
  if (a == b) return true;
  if (a >= module_.types.size() || b >= module_.types.size()) return false;
  if (!canonReady_) canonicalize();
  return canon_[a] == canon_[b];
}

bool TypeContext::isHeapSubtype(HeapType sub, HeapType super) const {
  if (sub == super || sub.code == kBottomHeap) return true;
  if (super.code == kBottomHeap) return false;
  const auto& types = module_.types;
  if (super.isIndex()) {
    if (super.typeIndex() >= types.size()) return false;
    if (!sub.isIndex()) {
      auto k = types[super.typeIndex()].kind;
      if (sub.code == H::None) return k == SubType::Struct || k == SubType::Array;
      if (sub.code == H::NoFunc) return k == SubType::Func;
      return false;
    }
    // Walk the declared supertype chain; it is strictly decreasing in index when valid, and
    // bounded by the type count in case it is not (the type section check reports that).
    uint32_t t = sub.typeIndex();
    for (size_t steps = 0; steps <= types.size() && t < types.size(); ++steps) {
      if (sameType(t, super.typeIndex())) return true;
      if (types[t].supertypes.empty()) return false;
      t = types[t].supertypes[0];
    }
    return false;
  }
  if (sub.isIndex()) {
    if (sub.typeIndex() >= types.size()) return false;
    switch (types[sub.typeIndex()].kind) {
      case SubType::Func:
        return super.code == H::Func;
      case SubType::Struct:
        return super.code == H::Struct || super.code == H::Eq || super.code == H::Any;
      case SubType::Array:
        return super.code == H::Array || super.code == H::Eq || super.code == H::Any;
    }
    return false;
  }
  return abstractSub(sub.code, super.code);
}

bool TypeContext::isStorageSubtype(const StorageType& sub, const StorageType& super) const {
  if (sub.packed != super.packed) return false;
  return sub.packed != StorageType::None || matches(sub.type, super.type);
}

bool TypeContext::isFieldSubtype(const FieldType& sub, const FieldType& super) const {
  if (sub.mutable_ != super.mutable_) return false;
  if (!isStorageSubtype(sub.storage, super.storage)) return false;
  // Mutable fields are invariant: readers and writers both see them.
  return !sub.mutable_ || isStorageSubtype(super.storage, sub.storage);
}

bool TypeContext::isFuncSubtype(const FuncType& sub, const FuncType& super) const {
  return matchesAll(super.params, sub.params) && matchesAll(sub.results, super.results);
}

HeapType TypeContext::top(HeapType h) const {
  if (h.isIndex()) {
    const SubType* t = type(h.typeIndex());
    if (t && t->kind == SubType::Func) return H{H::Func};
    return H{H::Any};
  }
  switch (h.code) {
    case H::Func:
    case H::NoFunc:
      return H{H::Func};
    case H::Extern:
    case H::NoExtern:
      return H{H::Extern};
    case H::Exn:
    case H::NoExn:
      return H{H::Exn};
    case kBottomHeap:
      return h;
    default:
      return H{H::Any};
  }
}

HeapType TypeContext::bottomOf(HeapType h) const {
  switch (top(h).code) {
    case H::Func:
      return H{H::NoFunc};
    case H::Extern:
      return H{H::NoExtern};
    case H::Exn:
      return H{H::NoExn};
    case kBottomHeap:
      return h;
    default:
      return H{H::None};
  }
}

bool TypeContext::validHeap(HeapType h, uint32_t limit) const {
  if (h.isIndex()) return h.typeIndex() < limit && h.typeIndex() < module_.types.size();
  return h.code >= H::Exn && h.code <= H::NoExn;
}

bool TypeContext::validValType(ValType t, uint32_t limit) const {
  switch (t.kind) {
    case ValType::I32:
    case ValType::I64:
    case ValType::F32:
    case ValType::F64:
    case ValType::V128:
      return true;
    case ValType::Ref:
      return validHeap(t.heap, limit);
    default:
      return false;
  }
}

std::string heapTypeName(HeapType h) {
  if (h.isIndex()) return std::to_string(h.typeIndex());
  switch (h.code) {
    case H::NoExn:
      return "noexn";
    case H::NoFunc:
      return "nofunc";
    case H::NoExtern:
      return "noextern";
    case H::None:
      return "none";
    case H::Func:
      return "func";
    case H::Extern:
      return "extern";
    case H::Any:
      return "any";
    case H::Eq:
      return "eq";
    case H::I31:
      return "i31";
    case H::Struct:
      return "struct";
    case H::Array:
      return "array";
    case H::Exn:
      return "exn";
    case kBottomHeap:
      return "bot";
    default:
      return "heap type " + std::to_string(h.code);
  }
}

std::string typeName(ValType t) {
  // Value types print as everywhere else; the validator's own spellings are for the bottom
  // type and the bottom heap type it uses while checking unreachable code.
  if (t.kind == ValType::Bottom) return "unknown";
  if (t.kind != ValType::Ref) return toString(t);
  if (t.nullable && !t.heap.isIndex() && t.heap.code != kBottomHeap) {
    static const char* const names[] = {"nullexnref", "nullfuncref", "nullexternref", "nullref",
                                        "funcref",    "externref",   "anyref",        "eqref",
                                        "i31ref",     "structref",   "arrayref",      "exnref"};
    int i = H::NoExn - t.heap.code;
    if (i >= 0 && i < 12) return names[i];
  }
  return std::string(t.nullable ? "(ref null " : "(ref ") + heapTypeName(t.heap) + ")";
}

std::string typeListName(std::span<const ValType> types) {
  std::string s = "[";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ' ';
    s += typeName(types[i]);
  }
  return s + "]";
}

}  // namespace asyncify::validate
