// Module-level validation on modules assembled in memory: data count, tags, tables, memories
// (custom page sizes), imports, start, element segments and declared function references.
#include <gtest/gtest.h>

#include "validate_helpers.h"

namespace asyncify::test {
namespace {

std::string moduleError(const Module& m) {
  try {
    validateModule(m);
    return {};
  } catch (const Error& e) {
    return e.message();
  }
}

FuncType sig(std::vector<ValType> params, std::vector<ValType> results) {
  return FuncType{std::move(params), std::move(results)};
}

DataSegment passiveData() {
  DataSegment d;
  d.mode = SegmentMode::Passive;
  return d;
}

TEST(ValidateModule, DataCountMatchesTheSegments) {
  Module m;
  m.data.push_back(passiveData());
  m.dataCount = 2;
  EXPECT_INVALID(moduleError(m), "data count 2 differs from the 1 data segment(s)");
  m.dataCount = 1;
  EXPECT_VALID(moduleError(m));
}

TEST(ValidateModule, BulkMemoryNeedsTheDataCount) {
  Module m;
  m.memories.push_back(MemoryType{});
  m.data.push_back(passiveData());
  Body b;
  b << ins(Op::DataDrop, 0);
  EXPECT_INVALID(check(m, sig({}, {}), b), "data.drop requires a data count section");
  m.dataCount = 1;
  EXPECT_VALID(check(m, sig({}, {}), b));
  EXPECT_INVALID(check(m, sig({}, {}), Body() << ins(Op::DataDrop, 1)),
                 "data segment index 1 out of range");
}

TEST(ValidateModule, TagTypes) {
  Module m;
  uint32_t t = addType(m, funcSubType({ValType::i32()}, {ValType::i32()}));
  m.tags.push_back(TagType{0, t});
  EXPECT_INVALID(moduleError(m), "tag 0: a tag's type must have no results");
  Module s;
  addType(s, structSubType({}));
  s.tags.push_back(TagType{0, 0});
  EXPECT_INVALID(moduleError(s), "is not a function type");
}

TEST(ValidateModule, TablesOfNonNullableReferencesNeedAnInitializer) {
  Module m;
  uint32_t t = addType(m, funcSubType({}, {}));
  uint32_t f = addFunction(m, t);
  m.functions[0].replacement = {0x00, 0x0b};
  m.functions[0].replaced = true;
  Table table;
  table.type.elem = ValType::ref(HeapType::index(t), false);
  table.type.limits.min = 1;
  m.tables.push_back(table);
  EXPECT_INVALID(moduleError(m), "needs an initializer");
  m.tables[0].init = ConstExpr{};
  m.tables[0].init->bytes = {0xd2, static_cast<uint8_t>(f), 0x0b};  // ref.func 0
  EXPECT_VALID(moduleError(m));
  m.tables[0].init->bytes = {0xd0, 0x70, 0x0b};  // ref.null func: nullable
  EXPECT_INVALID(moduleError(m), "table 0 initializer: type mismatch");
}

TEST(ValidateModule, MemoryLimitsAndPageSizes) {
  Module m;
  MemoryType mem;
  mem.limits.min = 65536;
  m.memories.push_back(mem);
  EXPECT_VALID(moduleError(m));
  m.memories[0].limits.min = 65537;
  EXPECT_INVALID(moduleError(m), "at most 65536 pages");
  // One-byte pages: a 32-bit memory may have up to 2^32 of them.
  m.memories[0].pageSizeLog2 = 0;
  m.memories[0].limits.min = uint64_t{1} << 32;
  EXPECT_VALID(moduleError(m));
  m.memories[0].pageSizeLog2 = 12;
  EXPECT_INVALID(moduleError(m), "page size must be 1 or 65536 bytes");
  m.memories[0] = MemoryType{};
  m.memories[0].limits.shared = true;
  EXPECT_INVALID(moduleError(m), "a shared memory must have a maximum size");
  m.memories[0].limits.max = 1;
  EXPECT_VALID(moduleError(m));
}

TEST(ValidateModule, ImportsAndStart) {
  Module m;
  addType(m, structSubType({}));
  Import imp;
  imp.module = "env";
  imp.name = "f";
  imp.kind = ExternKind::Func;
  imp.typeIndex = 0;
  m.imports.push_back(imp);
  m.countImports();
  EXPECT_INVALID(moduleError(m), "import 0 (env.f): type 0 is not a function type");
  Module s;
  addType(s, funcSubType({}, {}));
  s.start = 3;
  EXPECT_INVALID(moduleError(s), "start function 3 out of range");
}

TEST(ValidateModule, ElementExpressionsAreTyped) {
  Module m;
  ElemSegment e;
  e.mode = SegmentMode::Passive;
  e.usesExprs = true;
  e.type = ValType::externref();
  ConstExpr x;
  x.bytes = {0xd0, 0x70, 0x0b};  // ref.null func
  e.exprs.push_back(x);
  m.elems.push_back(e);
  EXPECT_INVALID(moduleError(m), "element segment 0 element 0: type mismatch");
  m.elems[0].exprs[0].bytes = {0xd0, 0x6f, 0x0b};
  EXPECT_VALID(moduleError(m));
}

TEST(ValidateModule, FunctionReferencesMustBeDeclared) {
  Module m;
  uint32_t t = addType(m, funcSubType({}, {}));
  uint32_t f = addFunction(m, t);
  Body b;
  b << ins(Op::RefFunc, f) << ins(Op::Drop);
  EXPECT_INVALID(check(m, sig({}, {}), b), "is not declared");
  // Through an export.
  Module exported = m;
  exported.exports.push_back(Export{"f", ExternKind::Func, f});
  EXPECT_VALID(check(exported, sig({}, {}), b));
  // Through a declarative element segment.
  Module declared = m;
  ElemSegment e;
  e.mode = SegmentMode::Declarative;
  e.functions = {f};
  declared.elems.push_back(e);
  EXPECT_VALID(check(declared, sig({}, {}), b));
  // Through a global initializer.
  Module global = m;
  Global g;
  g.type = GlobalType{ValType::funcref(), false};
  g.init.bytes = {0xd2, static_cast<uint8_t>(f), 0x0b};
  global.globals.push_back(g);
  EXPECT_VALID(check(global, sig({}, {}), b));
  // A typed reference: (ref $t), usable by call_ref.
  EXPECT_VALID(check(exported, sig({}, {}), Body() << ins(Op::RefFunc, f) << ins(Op::CallRef, t)));
}

}  // namespace
}  // namespace asyncify::test
