// Read/write round trips of real modules (built from tests/fixtures/binary at test time).
#include <gtest/gtest.h>

#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "fixture_builder.h"

namespace asyncify {
namespace {

using test::buildFixture;

class RoundTrip : public ::testing::TestWithParam<std::string> {
 protected:
  std::string stem() const { return std::filesystem::path(GetParam()).stem().string(); }
};

TEST_P(RoundTrip, UnchangedModuleIsWrittenByteForByte) {
  auto bytes = buildFixture(GetParam());
  ASSERT_FALSE(bytes.empty());
  Module m = readModule(bytes);
  EXPECT_TRUE(writeModule(m) == bytes);
  // Text fixtures are built with names: the name section must have been parsed.
  if (GetParam().ends_with(".wat")) {
    ASSERT_TRUE(m.names.has_value());
    EXPECT_FALSE(m.names->functions.empty());
  }
}

TEST_P(RoundTrip, ReencodingEverySectionKeepsTheModule) {
  auto bytes = buildFixture(GetParam());
  ASSERT_FALSE(bytes.empty());
  Module m = readModule(bytes);
  for (unsigned id = 0; id < kSectionIdCount; ++id) m.markChanged(static_cast<SectionId>(id));
  auto out = writeModule(m);
  EXPECT_TRUE(test::wabtAccepts(out, stem(), test::fixtureFlags(GetParam())))
      << "wasm-validate rejects the re-encoded module";

  Module again = readModule(out);
  EXPECT_EQ(again.types.size(), m.types.size());
  EXPECT_EQ(again.imports.size(), m.imports.size());
  EXPECT_EQ(again.exports.size(), m.exports.size());
  EXPECT_EQ(again.globals.size(), m.globals.size());
  EXPECT_EQ(again.elems.size(), m.elems.size());
  EXPECT_EQ(again.data.size(), m.data.size());
  EXPECT_EQ(again.start, m.start);
  ASSERT_EQ(again.functions.size(), m.functions.size());
  for (size_t i = 0; i < m.functions.size(); ++i) {
    auto a = m.bodyBytes(m.functions[i]);
    auto b = again.bodyBytes(again.functions[i]);
    ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << "body " << i;
  }
  for (size_t i = 0; i < m.elems.size(); ++i) {
    EXPECT_EQ(again.elems[i].flags, m.elems[i].flags) << "element segment " << i;
    EXPECT_EQ(again.elems[i].functions, m.elems[i].functions);
  }
  ASSERT_EQ(again.names.has_value(), m.names.has_value());
  if (m.names) {
    EXPECT_EQ(again.names->functions, m.names->functions);
    EXPECT_EQ(again.names->locals, m.names->locals);
  }
  ASSERT_EQ(again.customs.size(), m.customs.size());
  for (size_t i = 0; i < m.customs.size(); ++i) {
    EXPECT_EQ(again.customs[i].name, m.customs[i].name);
    EXPECT_EQ(again.customs[i].after, m.customs[i].after);
  }
  // What we wrote is itself written back unchanged.
  EXPECT_TRUE(writeModule(again) == out);
}

std::string testName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RoundTrip, ::testing::ValuesIn(test::binaryFixtureNames()),
                         testName);

}  // namespace
}  // namespace asyncify
