#include <gtest/gtest.h>

#include "asyncify/binary/reader.h"
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
      section(7, vec({cat({str("id"), Bytes{0x00}, leb(0)}), cat({str("mem"), Bytes{0x02}, leb(0)})})),
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

}  // namespace
}  // namespace asyncify
