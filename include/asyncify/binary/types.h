// Value, reference and composite types of WebAssembly 2.0 plus the typed function references
// and GC proposals (enough to read, validate and pass through modules that use them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asyncify {

// Heap types: an abstract one (negative codes, the binary encodings as s7) or a type index.
struct HeapType {
  enum Abstract : int32_t {
    NoExn = -0x0c,     // 0x74
    NoFunc = -0x0d,    // 0x73
    NoExtern = -0x0e,  // 0x72
    None = -0x0f,      // 0x71
    Func = -0x10,      // 0x70
    Extern = -0x11,    // 0x6f
    Any = -0x12,       // 0x6e
    Eq = -0x13,        // 0x6d
    I31 = -0x14,       // 0x6c
    Struct = -0x15,    // 0x6b
    Array = -0x16,     // 0x6a
    Exn = -0x17,       // 0x69
  };
  int32_t code = Func;  // >= 0: a type index

  static HeapType index(uint32_t i) { return HeapType{static_cast<int32_t>(i)}; }
  bool isIndex() const { return code >= 0; }
  uint32_t typeIndex() const { return static_cast<uint32_t>(code); }
  bool operator==(const HeapType&) const = default;
};

struct ValType {
  enum Kind : uint8_t { I32, I64, F32, F64, V128, Ref, Bottom };
  Kind kind = I32;
  bool nullable = true;  // Ref only
  HeapType heap{};       // Ref only

  static constexpr ValType i32() { return {I32}; }
  static constexpr ValType i64() { return {I64}; }
  static constexpr ValType f32() { return {F32}; }
  static constexpr ValType f64() { return {F64}; }
  static constexpr ValType v128() { return {V128}; }
  // The validator's "unknown" type on an unreachable (polymorphic) stack.
  static constexpr ValType bottom() { return {Bottom}; }
  static ValType ref(HeapType h, bool isNullable) { return ValType{Ref, isNullable, h}; }
  static ValType funcref() { return ref(HeapType{HeapType::Func}, true); }
  static ValType externref() { return ref(HeapType{HeapType::Extern}, true); }

  bool isNumeric() const { return kind <= F64; }
  bool isRef() const { return kind == Ref; }
  // Bytes when saved to linear memory (references have no memory representation).
  unsigned byteSize() const {
    switch (kind) {
      case I32:
      case F32:
        return 4;
      case I64:
      case F64:
        return 8;
      case V128:
        return 16;
      default:
        return 0;
    }
  }
  bool operator==(const ValType&) const = default;
};

std::string toString(ValType t);
std::string toString(HeapType h);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

// Packed storage types of GC fields.
struct StorageType {
  enum Packed : uint8_t { None, I8, I16 };
  Packed packed = None;
  ValType type{};  // when packed == None
  bool operator==(const StorageType&) const = default;
};
struct FieldType {
  StorageType storage;
  bool mutable_ = false;
  bool operator==(const FieldType&) const = default;
};

// One entry of the type section (flattened out of its recursion group).
struct SubType {
  enum Kind : uint8_t { Func, Struct, Array };
  Kind kind = Func;
  bool final = true;
  std::vector<uint32_t> supertypes;  // at most one today
  FuncType func;                     // Func
  std::vector<FieldType> fields;     // Struct (all fields) or Array (one field)
  uint32_t recGroupStart = 0;        // index of the first type of its rec group
  uint32_t recGroupSize = 1;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;  // memory64 / table64 address type
};

struct TableType {
  ValType elem = ValType::funcref();
  Limits limits;
};
struct MemoryType {
  Limits limits;
  std::optional<uint32_t> pageSizeLog2;  // custom-page-sizes proposal, when present
};
struct GlobalType {
  ValType type;
  bool mutable_ = false;
};
struct TagType {
  uint8_t attribute = 0;  // 0 = exception
  uint32_t typeIndex = 0;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

}  // namespace asyncify
