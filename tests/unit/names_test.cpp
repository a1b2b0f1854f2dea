// The name section: parsing, re-encoding when changed, and a new one when there was none.
#include "../../src/binary/names.h"

#include <gtest/gtest.h>

#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "fixture_builder.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using namespace test;

TEST(Names, ParsedFromATextFixture) {
  Module m = readModule(buildFixture("mvp.wat"));
  ASSERT_TRUE(m.names.has_value());
  EXPECT_EQ(m.functionName(0), "log");  // the import comes first
  EXPECT_EQ(m.functionName(1), "add");
  EXPECT_EQ(m.functionName(2), "fac");
  EXPECT_EQ(m.names->locals.at(2).at(0), "n");
  EXPECT_EQ(m.names->locals.at(2).at(1), "acc");
  EXPECT_EQ(m.functionName(99), std::nullopt);
}

TEST(Names, UpdatedWhenAFunctionIsAppended) {
  Module m = readModule(buildFixture("mvp.wat"));
  NameSection before = *m.names;
  uint32_t type = m.internFuncType(FuncType{});
  Function f;
  f.typeIndex = type;
  f.replacement = {0x00, 0x0b};
  f.replaced = true;
  m.functions.push_back(f);
  uint32_t index = m.numFunctions() - 1;
  m.names->functions[index] = "appended";
  m.markChanged(SectionId::Function);
  m.markChanged(SectionId::Custom);
  Bytes out = writeModule(m);
  EXPECT_TRUE(wabtAccepts(out, "names-appended", ""));

  Module again = readModule(out);
  ASSERT_TRUE(again.names.has_value());
  EXPECT_EQ(again.functionName(index), "appended");
  auto expected = before.functions;
  expected[index] = "appended";
  EXPECT_EQ(again.names->functions, expected);
  EXPECT_EQ(again.names->locals, before.locals);
  EXPECT_EQ(again.names->globals, before.globals);
  EXPECT_EQ(again.names->otherSubsections, before.otherSubsections);
  // Still the last section, as in the input.
  EXPECT_EQ(again.nameSectionIndex, m.nameSectionIndex);
  EXPECT_EQ(again.sections.back().id, SectionId::Custom);
}

TEST(Names, NewNameSectionWhenThereWasNone) {
  Bytes in = module({section(1, vec({funcType({}, {})})), section(3, vec({leb(0)})),
                     section(10, vec({body(noLocals(), {})}))});
  Module m = readModule(in);
  EXPECT_FALSE(m.names.has_value());
  m.names = NameSection{};
  m.names->functions[0] = "only";
  m.markChanged(SectionId::Custom);
  Module again = readModule(writeModule(m));
  EXPECT_EQ(again.functionName(0), "only");
  ASSERT_TRUE(again.nameSectionIndex.has_value());
}

TEST(Names, EncodeThenParseGivesTheSameSection) {
  NameSection n;
  n.moduleName = "mod";
  n.functions = {{0, "a"}, {5, "b"}};
  n.locals = {{5, {{0, "x"}, {2, "y"}}}};
  n.globals = {{1, "g"}};
  n.otherSubsections = {{3, {0x00}}, {9, {0x01, 0x00, 0x01, 0x64}}};
  Bytes bytes = detail::encodeNameSection(n);
  // Subsections come in increasing id order: 0, 1, 2, 3, 7, 9.
  std::vector<uint8_t> ids;
  for (size_t i = 0; i < bytes.size();) {
    ids.push_back(bytes[i]);
    i += 2 + bytes[i + 1];  // every size here fits one byte
  }
  EXPECT_EQ(ids, (std::vector<uint8_t>{0, 1, 2, 3, 7, 9}));
  auto parsed = detail::parseNameSection(bytes, 0);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->moduleName, n.moduleName);
  EXPECT_EQ(parsed->functions, n.functions);
  EXPECT_EQ(parsed->locals, n.locals);
  EXPECT_EQ(parsed->globals, n.globals);
  EXPECT_EQ(parsed->otherSubsections, n.otherSubsections);
}

TEST(Names, MalformedVariantsAreNotParsed) {
  // Subsections out of order.
  Bytes outOfOrder =
      cat({Bytes{0x01}, leb(4), vec({cat({leb(0), str("a")})}), Bytes{0x00}, leb(2), str("m")});
  EXPECT_FALSE(detail::parseNameSection(outOfOrder, 0).has_value());
  // The same function named twice.
  Bytes twice = cat({Bytes{0x01}, leb(7), vec({cat({leb(0), str("a")}), cat({leb(0), str("b")})})});
  EXPECT_FALSE(detail::parseNameSection(twice, 0).has_value());
  // A subsection with trailing bytes.
  Bytes trailing = cat({Bytes{0x00}, leb(3), str("m"), Bytes{0x00}});
  EXPECT_FALSE(detail::parseNameSection(trailing, 0).has_value());
  // The module still reads, and writes back unchanged.
  Bytes in = module({customSection("name", twice)});
  Module m = readModule(in);
  EXPECT_FALSE(m.names.has_value());
  EXPECT_EQ(writeModule(m), in);
}

}  // namespace
}  // namespace asyncify
