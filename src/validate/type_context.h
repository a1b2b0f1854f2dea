// The module's type space as the validator sees it: canonical type identity (iso-recursive
// equivalence of rec groups), the subtyping relation of the GC proposal, and type names for
// messages. Private to src/validate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "asyncify/binary/module.h"
#include "asyncify/binary/types.h"

namespace asyncify::validate {

// The heap type below every hierarchy. It only appears on the operand stack of unreachable
// code (a reference popped from nothing), never in a module.
constexpr int32_t kBottomHeap = -0x40;

class TypeContext {
 public:
  explicit TypeContext(const Module& module) : module_(module) {}

  const Module& module() const { return module_; }
  uint32_t typeCount() const { return static_cast<uint32_t>(module_.types.size()); }

  // `sub` matches `super`: value subtyping, with Bottom matching everything.
  bool matches(ValType sub, ValType super) const {
    if (sub.kind == ValType::Bottom) return true;
    if (sub.kind != super.kind) return false;
    if (sub.kind != ValType::Ref) return true;
    if (sub.nullable && !super.nullable) return false;
    return sub.heap == super.heap || isHeapSubtype(sub.heap, super.heap);
  }
  bool matchesAll(std::span<const ValType> sub, std::span<const ValType> super) const;
  bool isHeapSubtype(HeapType sub, HeapType super) const;
  bool isFieldSubtype(const FieldType& sub, const FieldType& super) const;
  bool isStorageSubtype(const StorageType& sub, const StorageType& super) const;
  bool isFuncSubtype(const FuncType& sub, const FuncType& super) const;
  // Type equality of two indices (same canonical rec group position).
  bool sameType(uint32_t a, uint32_t b) const;
  bool sameValType(ValType a, ValType b) const { return matches(a, b) && matches(b, a); }

  // The top of the hierarchy a heap type belongs to (any, func, extern or exn).
  HeapType top(HeapType h) const;
  // The bottom of the hierarchy (none, nofunc, noextern, noexn).
  HeapType bottomOf(HeapType h) const;

  // Well-formedness: type indices in range (below `limit`, default: all types).
  bool validHeap(HeapType h, uint32_t limit) const;
  bool validHeap(HeapType h) const { return validHeap(h, typeCount()); }
  bool validValType(ValType t, uint32_t limit) const;
  bool validValType(ValType t) const { return validValType(t, typeCount()); }

  // Kind lookups that report nullptr instead of throwing.
  const SubType* type(uint32_t index) const {
    return index < module_.types.size() ? &module_.types[index] : nullptr;
  }
  const FuncType* funcType(uint32_t index) const {
    auto* t = type(index);
    return t && t->kind == SubType::Func ? &t->func : nullptr;
  }

  static bool defaultable(ValType t) { return t.kind != ValType::Ref || t.nullable; }

 private:
  void canonicalize() const;

  const Module& module_;
  // Canonical id of each type index; computed on first need (numeric-only code never needs it).
  mutable std::vector<uint32_t> canon_;
  mutable bool canonReady_ = false;
};

// "i32", "funcref", "(ref 3)", "(ref null $any)"...: names in messages.
std::string typeName(ValType t);
std::string heapTypeName(HeapType h);
std::string typeListName(std::span<const ValType> types);

// Checks the type section: indices in range of each rec group, declared supertypes (at most one,
// earlier, not final, of the same kind, with a matching structure).
void validateTypeSection(const TypeContext& types);

}  // namespace asyncify::validate
