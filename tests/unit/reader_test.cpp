#include "asyncify/binary/reader.h"

#include <gtest/gtest.h>

#include "asyncify/binary/renumber.h"
#include "asyncify/binary/writer.h"
#include "asyncify/validate/validator.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using namespace test;

// (func (param i32) (result i32) local.get 0) exported as "id", plus a memory and a global.
Bytes smallModule() {
  return module({
      section(1, vec({funcType({I32}, {I32})})),
      section(3, vec({leb(0)})),
      section(5, vec({Bytes{0x01, 0x01, 0x02}})),
      section(6, vec({cat({Bytes{I32, 0x01}, i32Const(7)})})),
      section(7,
              vec({cat({str("id"), Bytes{0x00}, leb(0)}), cat({str("mem"), Bytes{0x02}, leb(0)})})),
      section(10, vec({body(noLocals(), {0x20, 0x00})})),
  });
}

TEST(Reader, ReadsEverySectionOfASmallModule) {
  Module m = readModule(smallModule());
  ASSERT_EQ(m.types.size(), 1u);
  EXPECT_EQ(m.types[0].func.params, std::vector<ValType>{ValType::i32()});
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.memories.size(), 1u);
  EXPECT_EQ(m.memories[0].limits.min, 1u);
  EXPECT_EQ(m.memories[0].limits.max, 2u);
  ASSERT_EQ(m.globals.size(), 1u);
  EXPECT_TRUE(m.globals[0].type.mutable_);
  EXPECT_EQ(m.exprBytes(m.globals[0].init).size(), 3u);
  ASSERT_EQ(m.exports.size(), 2u);
  EXPECT_EQ(m.exports[1].kind, ExternKind::Memory);
  EXPECT_EQ(m.sections.size(), 6u);
  auto b = m.bodyBytes(m.functions[0]);
  EXPECT_EQ(std::vector<uint8_t>(b.begin(), b.end()), (Bytes{0x00, 0x20, 0x00, 0x0b}));
}

// Real modules nest thousands of blocks deep; nothing may recurse over the nesting depth.
TEST(Reader, HundredThousandNestedBlocksReadValidateWriteRenumber) {
  constexpr size_t depth = 100000;
  Bytes code;
  code.reserve(depth * 3 + 8);
  code.push_back(0x00);  // no locals
  for (size_t i = 0; i < depth; ++i) code.insert(code.end(), {0x02, 0x40});
  code.insert(code.end(), {0x10, 0x00});  // call 0 at the deepest point (renumbered below)
  code.insert(code.end(), depth + 1, 0x0b);
  Bytes in = module({section(1, vec({funcType({}, {})})), section(3, vec({leb(0)})),
                     section(10, cat({leb(1), leb(code.size()), code}))});
  Module m = readModule(in);
  validateModule(m);
  EXPECT_EQ(writeModule(m), in);

  // Renumbering decodes the whole body too (function 0 becomes 1 after a new import).
  m.imports.push_back(Import{"env", "f", ExternKind::Func, 0, {}, {}, {}, 0});
  m.countImports();
  m.markChanged(SectionId::Import);
  renumber(m, IndexMap{{1}, {}});
  ASSERT_TRUE(m.functions[0].replaced);
  Module again = readModule(writeModule(m));
  validateModule(again);
  auto body = again.bodyBytes(again.functions[0]);
  EXPECT_EQ(body[1 + 2 * depth + 1], 0x01);
}

TEST(Reader, GathersFeatures) {
  Bytes in = module({
      section(1, vec({funcType({}, {I32, I64})})),
      section(5, vec({Bytes{0x04, 0x01}, Bytes{0x03, 0x01, 0x02}})),
      section(12, leb(0)),
  });
  Module m = readModule(in);
  EXPECT_TRUE(m.features.has(Feature::MultiValue));
  EXPECT_TRUE(m.features.has(Feature::Memory64));
  EXPECT_TRUE(m.features.has(Feature::Threads));
  EXPECT_TRUE(m.features.has(Feature::MultiMemory));
  EXPECT_TRUE(m.features.has(Feature::BulkMemory));
  EXPECT_FALSE(m.features.has(Feature::Gc));
  EXPECT_TRUE(m.memories[0].limits.is64);
  EXPECT_TRUE(m.memories[1].limits.shared);
  EXPECT_EQ(m.memories[1].limits.max, 2u);
}

TEST(Reader, GcTypesRecGroupsAndTableInitializers) {
  // rec { (sub (struct (field (mut i32)) (field i8))) (sub final 0 (struct ...)) } (array i16)
  Bytes types =
      cat({Bytes{0x03}, Bytes{0x4e, 0x02}, Bytes{0x50, 0x00, 0x5f, 0x02, I32, 0x01, 0x78, 0x00},
           Bytes{0x4f, 0x01, 0x00, 0x5f, 0x02, I32, 0x01, 0x78, 0x00}, Bytes{0x5e, 0x77, 0x01},
           Bytes{0x60, 0x01, 0x64, 0x00, 0x01, 0x63, 0x02}});
  // A table of (ref null 0) with an initializer expression: ref.null 0.
  Bytes tables = vec({Bytes{0x40, 0x00, 0x63, 0x00, 0x00, 0x01, 0xd0, 0x00, 0x0b}});
  Bytes in = module({section(1, types), section(4, tables)});
  Module m = readModule(in);
  ASSERT_EQ(m.types.size(), 4u);
  EXPECT_EQ(m.types[0].recGroupSize, 2u);
  EXPECT_EQ(m.types[1].recGroupStart, 0u);
  EXPECT_FALSE(m.types[0].final);
  EXPECT_TRUE(m.types[1].final);
  EXPECT_EQ(m.types[1].supertypes, std::vector<uint32_t>{0});
  EXPECT_EQ(m.types[0].fields[1].storage.packed, StorageType::I8);
  EXPECT_EQ(m.types[2].kind, SubType::Array);
  EXPECT_EQ(m.types[3].func.params[0], ValType::ref(HeapType::index(0), false));
  EXPECT_TRUE(m.features.has(Feature::Gc));
  ASSERT_EQ(m.tables.size(), 1u);
  ASSERT_TRUE(m.tables[0].init.has_value());
  EXPECT_EQ(m.exprBytes(*m.tables[0].init).size(), 3u);
  // Re-encoded from the structures, the sections come out identical.
  m.markChanged(SectionId::Type);
  m.markChanged(SectionId::Table);
  EXPECT_EQ(writeModule(m), in);
}

}  // namespace
}  // namespace asyncify
