// Renumbering after imports are inserted: every reference moves, untouched bytes stay.
#include "asyncify/binary/renumber.h"

#include <gtest/gtest.h>

#include "../../src/binary/names.h"
#include "asyncify/binary/instr.h"
#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "fixture_builder.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using namespace test;

// Functions: 0 = import env.imp, 1 = f1, 2 = f2, 3 = f3. Globals: 0 = import env.g, 1, 2.
Bytes handMadeModule() {
  NameSection names;
  names.functions = {{0, "imp"}, {1, "f1"}, {2, "f2"}, {3, "f3"}};
  names.locals = {{1, {{0, "l"}}}};
  names.globals = {{1, "g1"}};
  Bytes nameBytes = detail::encodeNameSection(names);
  return module({
      section(1, vec({funcType({}, {}), funcType({I32}, {I32})})),
      section(2, vec({cat({str("env"), str("imp"), Bytes{0x00, 0x00}}),
                      cat({str("env"), str("g"), Bytes{0x03, I32, 0x00}})})),
      section(3, vec({leb(0), leb(1), leb(0)})),
      section(4, vec({Bytes{FUNCREF, 0x00, 0x04}})),
      section(6, vec({Bytes{I32, 0x01, 0x23, 0x00, 0x0b}, Bytes{FUNCREF, 0x00, 0xd2, 0x02, 0x0b}})),
      section(7,
              vec({cat({str("f1"), Bytes{0x00}, leb(1)}), cat({str("g1"), Bytes{0x03}, leb(1)})})),
      section(8, leb(1)),
      section(9, vec({Bytes{0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x03},
                      Bytes{0x04, 0x41, 0x02, 0x0b, 0x01, 0xd2, 0x03, 0x0b}})),
      section(10, vec({body(Bytes{0x01, 0x01, I64}, {0x41, 0x01, 0x10, 0x02, 0x1a, 0x23, 0x00, 0x1a,
                                                     0x23, 0x01, 0x24, 0x01}),
                       body(noLocals(), {0x20, 0x00}),
                       body(noLocals(), {0xd2, 0x01, 0x1a, 0x10, 0x00})})),
      customSection("name", nameBytes),
  });
}

// The (opcode text, index) pairs of the function and global references in a body.
std::vector<std::pair<std::string, uint32_t>> references(const Module& m, const Function& f) {
  auto bytes = m.bodyBytes(f);
  FunctionCode code = readFunctionCode(bytes, 0);
  CodePools pools;
  std::vector<std::pair<std::string, uint32_t>> out;
  for (const Instr& in : decodeAll(code.code, code.codeOffset, pools))
    if (in.info().imm == ImmKind::Func || in.info().imm == ImmKind::Global)
      out.emplace_back(std::string(in.info().text), in.a);
  return out;
}

TEST(Renumber, InsertedImportsMoveEveryReference) {
  Bytes in = handMadeModule();
  ASSERT_TRUE(wabtAccepts(in, "renumber-in", ""));
  Module m = readModule(in);
  // A function import inserted second, a global import appended after env.g.
  m.imports.insert(m.imports.begin() + 1, Import{"env", "new", ExternKind::Func, 0, {}, {}, {}, 0});
  Import g;
  g.module = "env";
  g.name = "g2";
  g.kind = ExternKind::Global;
  g.global = {ValType::i32(), false};
  m.imports.push_back(g);
  m.countImports();
  m.markChanged(SectionId::Import);
  IndexMap map;
  map.functions = {0, 2, 3, 4};
  map.globals = {0, 2, 3};
  renumber(m, map);

  EXPECT_FALSE(m.functions[1].replaced) << "f2 mentions no moved index";
  EXPECT_FALSE(m.isChanged(SectionId::Type));
  Bytes out = writeModule(m);
  EXPECT_TRUE(wabtAccepts(out, "renumber-out", ""));

  Module r = readModule(out);
  using Refs = std::vector<std::pair<std::string, uint32_t>>;
  EXPECT_EQ(references(r, r.functions[0]),
            (Refs{{"call", 3}, {"global.get", 0}, {"global.get", 2}, {"global.set", 2}}));
  EXPECT_EQ(references(r, r.functions[2]), (Refs{{"ref.func", 2}, {"call", 0}}));
  // f1's locals are kept as they were.
  auto f1 = r.bodyBytes(r.functions[0]);
  EXPECT_EQ(Bytes(f1.begin(), f1.begin() + 3), (Bytes{0x01, 0x01, I64}));
  // f2's body is the input's, byte for byte.
  auto f2 = r.bodyBytes(r.functions[1]);
  EXPECT_EQ(Bytes(f2.begin(), f2.end()), (Bytes{0x00, 0x20, 0x00, 0x0b}));

  EXPECT_EQ(r.exports[0].index, 2u);
  EXPECT_EQ(r.exports[1].index, 2u);
  EXPECT_EQ(r.start, 2u);
  EXPECT_EQ(r.elems[0].functions, (std::vector<uint32_t>{2, 4}));
  auto expr = r.exprBytes(r.elems[1].exprs[0]);
  EXPECT_EQ(Bytes(expr.begin(), expr.end()), (Bytes{0xd2, 0x04, 0x0b}));
  auto g0 = r.exprBytes(r.globals[0].init);
  EXPECT_EQ(Bytes(g0.begin(), g0.end()), (Bytes{0x23, 0x00, 0x0b}));
  auto g1 = r.exprBytes(r.globals[1].init);
  EXPECT_EQ(Bytes(g1.begin(), g1.end()), (Bytes{0xd2, 0x03, 0x0b}));

  ASSERT_TRUE(r.names.has_value());
  EXPECT_EQ(r.names->functions,
            (std::map<uint32_t, std::string>{{0, "imp"}, {2, "f1"}, {3, "f2"}, {4, "f3"}}));
  EXPECT_EQ(r.names->locals.count(2), 1u);
  EXPECT_EQ(r.names->globals, (std::map<uint32_t, std::string>{{2, "g1"}}));
}

TEST(Renumber, IdentityMapChangesNothing) {
  Bytes in = handMadeModule();
  Module m = readModule(in);
  renumber(m, IndexMap{{0, 1, 2, 3}, {}});
  for (unsigned id = 0; id < kSectionIdCount; ++id)
    EXPECT_FALSE(m.isChanged(static_cast<SectionId>(id))) << id;
  EXPECT_EQ(writeModule(m), in);
}

}  // namespace
}  // namespace asyncify
