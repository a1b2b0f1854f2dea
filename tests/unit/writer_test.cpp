// The writer: verbatim copies of unchanged sections, re-encoding of changed ones, insertion of
// new sections in canonical order, custom sections in place, atomic file output.
#include "asyncify/binary/writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "asyncify/binary/reader.h"
#include "fixture_builder.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using namespace test;

Bytes typeSection() {
  return section(1, vec({funcType({}, {I32})}));
}
Bytes functionSection() {
  return section(3, vec({leb(0)}));
}
Bytes memorySection() {
  return section(5, vec({Bytes{0x00, 0x01}}));
}
Bytes exportSection() {
  return section(7, vec({cat({str("f"), Bytes{0x00}, leb(0)})}));
}
// Section size written with a padded (non-minimal) LEB128, as some producers do.
Bytes paddedCodeSection() {
  Bytes payload = vec({body(noLocals(), {0x41, 0x07})});
  return cat({Bytes{10, static_cast<uint8_t>(0x80 | payload.size()), 0x80, 0x80, 0x00}, payload});
}

Bytes sample() {
  return module({customSection("first", {1, 2}), typeSection(), functionSection(), memorySection(),
                 customSection("middle", {}), exportSection(), paddedCodeSection(),
                 customSection("last", {3})});
}

TEST(Writer, UnchangedModuleIsCopiedByteForByte) {
  Bytes in = sample();
  EXPECT_EQ(writeModule(readModule(in)), in);
}

TEST(Writer, ChangedSectionIsReencodedAndTheOthersCopied) {
  Bytes in = sample();
  Module m = readModule(in);
  m.exports.push_back({"mem", ExternKind::Memory, 0});
  m.markChanged(SectionId::Export);
  Bytes out = writeModule(m);
  Bytes expected = module({customSection("first", {1, 2}), typeSection(), functionSection(),
                           memorySection(), customSection("middle", {}),
                           section(7, vec({cat({str("f"), Bytes{0x00}, leb(0)}),
                                           cat({str("mem"), Bytes{0x02}, leb(0)})})),
                           paddedCodeSection(), customSection("last", {3})});
  EXPECT_EQ(out, expected);
}

TEST(Writer, NewSectionsAreInsertedInCanonicalOrder) {
  Module m = readModule(sample());
  Global g;
  g.type = {ValType::i32(), true};
  g.init.bytes = i32Const(5);
  m.globals.push_back(g);
  m.markChanged(SectionId::Global);
  m.start = 0;
  m.markChanged(SectionId::Start);
  Bytes out = writeModule(m);
  Module again = readModule(out);
  std::vector<SectionId> ids;
  for (const auto& s : again.sections) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<SectionId>{SectionId::Custom, SectionId::Type, SectionId::Function,
                                         SectionId::Memory, SectionId::Custom, SectionId::Global,
                                         SectionId::Export, SectionId::Start, SectionId::Code,
                                         SectionId::Custom}));
  ASSERT_EQ(again.globals.size(), 1u);
  EXPECT_EQ(again.start, 0u);
  EXPECT_EQ(again.customs[1].after, SectionId::Memory);
  EXPECT_EQ(again.customs[2].name, "last");
  // The padded code section was not touched.
  auto code = again.sections[8];
  EXPECT_EQ(code.payload.begin - code.whole.begin, 5u);
}

TEST(Writer, ReplacedBodyAndAppendedFunction) {
  Module m = readModule(sample());
  // Replace function 0's body by `i32.const 9`, append a function returning 11.
  m.functions[0].replacement = {0x00, 0x41, 0x09, 0x0b};
  m.functions[0].replaced = true;
  Function f;
  f.typeIndex = 0;
  f.replacement = {0x01, 0x01, 0x7f, 0x41, 0x0b, 0x0b};  // one i32 local
  f.replaced = true;
  m.functions.push_back(f);
  m.markChanged(SectionId::Function);
  Bytes out = writeModule(m);
  Module again = readModule(out);
  ASSERT_EQ(again.functions.size(), 2u);
  auto b0 = again.bodyBytes(again.functions[0]);
  auto b1 = again.bodyBytes(again.functions[1]);
  EXPECT_EQ(Bytes(b0.begin(), b0.end()), (Bytes{0x00, 0x41, 0x09, 0x0b}));
  EXPECT_EQ(Bytes(b1.begin(), b1.end()), (Bytes{0x01, 0x01, 0x7f, 0x41, 0x0b, 0x0b}));
}

TEST(Writer, DataCountFollowsTheDataSection) {
  Bytes in = module(
      {memorySection(), section(12, leb(1)), section(11, vec({cat({Bytes{0x01}, str("ab")})}))});
  Module m = readModule(in);
  DataSegment d;
  d.mode = SegmentMode::Passive;
  d.newData = {1, 2, 3};
  m.data.push_back(d);
  m.markChanged(SectionId::Data);
  Module again = readModule(writeModule(m));
  EXPECT_EQ(again.dataCount, 2u);
  ASSERT_EQ(again.data.size(), 2u);
  EXPECT_EQ(again.range(again.data[1].data).size(), 3u);
}

TEST(Writer, EmptyConstantExpressionIsRefused) {
  Module m = readModule(sample());
  m.globals.push_back(Global{{ValType::i32(), false}, {}});
  m.markChanged(SectionId::Global);
  EXPECT_THROW(writeModule(m), Error);
}

TEST(FileIo, WritesAtomicallyAndLeavesNothingOnFailure) {
  auto dir = scratchDir() / "atomic";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = (dir / "out.wasm").string();
  writeFileAtomically(path, {1, 2, 3});
  EXPECT_EQ(readFile(path), (Bytes{1, 2, 3}));
  writeFileAtomically(path, {4});
  EXPECT_EQ(readFile(path), (Bytes{4}));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);

  // Renaming onto a non-empty directory fails: the temporary file must be gone.
  std::filesystem::create_directories(dir / "taken" / "child");
  EXPECT_THROW(writeFileAtomically((dir / "taken").string(), {1}), Error);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 2);
  // A folder that does not exist.
  EXPECT_THROW(writeFileAtomically((dir / "missing" / "x.wasm").string(), {1}), Error);
  EXPECT_THROW(readFile((dir / "missing.wasm").string()), Error);
  EXPECT_THROW(readFile(dir.string()), Error);
}

}  // namespace
}  // namespace asyncify
