// Small builders for validator tests: modules assembled in memory and instruction vectors,
// checked through the public validateCode entry point.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"
#include "asyncify/binary/module.h"
#include "asyncify/binary/reader.h"
#include "asyncify/validate/validator.h"

namespace asyncify::test {

inline Instr ins(Op op, uint32_t a = 0, uint32_t b = 0) {
  Instr i;
  i.op = op;
  i.a = a;
  i.b = b;
  return i;
}
inline Instr i32c(int32_t v) {
  Instr i = ins(Op::I32Const);
  i.value = static_cast<uint64_t>(static_cast<int64_t>(v));
  return i;
}
inline Instr i64c(int64_t v) {
  Instr i = ins(Op::I64Const);
  i.value = static_cast<uint64_t>(v);
  return i;
}
inline Instr blockOf(Op op, BlockType bt) {
  Instr i = ins(op);
  i.block = bt;
  return i;
}
inline BlockType noResult() {
  return BlockType{};
}
inline BlockType valueResult(ValType t) {
  return BlockType{BlockType::Value, t, 0};
}
inline BlockType typeIndex(uint32_t index) {
  return BlockType{BlockType::Index, {}, index};
}
inline Instr withHeap(Op op, HeapType h, uint32_t a = 0) {
  Instr i = ins(op, a);
  i.type = ValType::ref(h, true);
  return i;
}
inline ValType ref(uint32_t typeIndex, bool nullable = false) {
  return ValType::ref(HeapType::index(typeIndex), nullable);
}
inline ValType abstractRef(HeapType::Abstract h, bool nullable = true) {
  return ValType::ref(HeapType{h}, nullable);
}

inline SubType funcSubType(std::vector<ValType> params, std::vector<ValType> results) {
  SubType t;
  t.kind = SubType::Func;
  t.func.params = std::move(params);
  t.func.results = std::move(results);
  return t;
}
inline FieldType field(ValType t, bool isMutable = true) {
  FieldType f;
  f.storage.type = t;
  f.mutable_ = isMutable;
  return f;
}
inline FieldType packedField(StorageType::Packed p, bool isMutable = true) {
  FieldType f;
  f.storage.packed = p;
  f.mutable_ = isMutable;
  return f;
}
inline SubType structSubType(std::vector<FieldType> fields, bool final = true,
                             std::vector<uint32_t> supertypes = {}) {
  SubType t;
  t.kind = SubType::Struct;
  t.fields = std::move(fields);
  t.final = final;
  t.supertypes = std::move(supertypes);
  return t;
}
inline SubType arraySubType(FieldType f, bool final = true) {
  SubType t;
  t.kind = SubType::Array;
  t.fields = {f};
  t.final = final;
  return t;
}

// Appends a type in its own rec group and returns its index.
inline uint32_t addType(Module& m, SubType t) {
  t.recGroupStart = static_cast<uint32_t>(m.types.size());
  t.recGroupSize = 1;
  m.types.push_back(std::move(t));
  return static_cast<uint32_t>(m.types.size() - 1);
}
// Appends a rec group of several types; returns the index of the first.
inline uint32_t addRecGroup(Module& m, std::vector<SubType> group) {
  uint32_t start = static_cast<uint32_t>(m.types.size());
  for (auto& t : group) {
    t.recGroupStart = start;
    t.recGroupSize = static_cast<uint32_t>(group.size());
    m.types.push_back(t);
  }
  return start;
}
inline uint32_t addFunction(Module& m, uint32_t typeIndex) {
  Function f;
  f.typeIndex = typeIndex;
  m.functions.push_back(f);
  return m.numImportedFunctions() + static_cast<uint32_t>(m.functions.size() - 1);
}

// A body and its pools; `run` validates it as a function of type `type`.
struct Body {
  std::vector<Instr> code;
  CodePools pools;
  std::vector<ValType> locals;

  Body& operator<<(const Instr& i) {
    code.push_back(i);
    return *this;
  }
  Body& brTable(std::initializer_list<uint32_t> targets, uint32_t fallback) {
    Instr i = ins(Op::BrTable);
    i.value = pools.labels.size();
    i.b = static_cast<uint32_t>(targets.size());
    pools.labels.insert(pools.labels.end(), targets.begin(), targets.end());
    pools.labels.push_back(fallback);
    code.push_back(i);
    return *this;
  }
  Body& tryTable(BlockType bt, std::initializer_list<CatchClause> clauses) {
    Instr i = blockOf(Op::TryTable, bt);
    i.value = pools.catches.size();
    i.b = static_cast<uint32_t>(clauses.size());
    pools.catches.insert(pools.catches.end(), clauses.begin(), clauses.end());
    code.push_back(i);
    return *this;
  }
  Body& selectTyped(ValType t) {
    Instr i = ins(Op::SelectT, 0, 1);
    i.value = pools.types.size();
    pools.types.push_back(t);
    code.push_back(i);
    return *this;
  }
};

// Validates `body` (an `end` is appended) and returns the error message, or "" when valid.
inline std::string check(const Module& m, const FuncType& type, Body body,
                         StackObserver* observer = nullptr) {
  body.code.push_back(ins(Op::End));
  try {
    validateCode(m, type, body.locals, body.code, body.pools, observer);
    return {};
  } catch (const Error& e) {
    return e.message();
  }
}

// Reads and validates `bytes`: "" when valid, else the error's description.
inline std::string moduleVerdict(std::vector<uint8_t> bytes) {
  try {
    Module m = readModule(std::move(bytes));
    validateModule(m);
    return {};
  } catch (const Error& e) {
    return e.describe();
  }
}

#define EXPECT_VALID(expr) EXPECT_EQ((expr), "")
#define EXPECT_INVALID(expr, fragment)                                                          \
  do {                                                                                          \
    std::string message_ = (expr);                                                              \
    EXPECT_NE(message_.find(fragment), std::string::npos)                                       \
        << "expected an error containing \"" << (fragment) << "\", got \"" << message_ << "\""; \
  } while (0)

}  // namespace asyncify::test
