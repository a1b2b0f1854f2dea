// Malformed modules: each must fail with one clear message at the right absolute offset.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "asyncify/binary/reader.h"
#include "asyncify/binary/writer.h"
#include "asyncify/validate/validator.h"
#include "fixture_builder.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using namespace test;

// Reads `bytes`, expecting an Error whose message contains `message` at `offset`.
void expectError(const Bytes& bytes, const std::string& message, uint64_t offset) {
  try {
    readModule(bytes);
    ADD_FAILURE() << "no error; expected '" << message << "'";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find(message), std::string::npos) << "got: " << e.describe();
    EXPECT_EQ(e.offset(), offset) << "got: " << e.describe();
  }
}

Bytes typeSection() {
  return section(1, vec({funcType({I32}, {I32})}));
}
Bytes functionSection() {
  return section(3, vec({leb(0)}));
}
Bytes codeSection() {
  return section(10, vec({body(noLocals(), {0x20, 0x00})}));
}

Bytes smallModule() {
  return module({
      typeSection(),
      functionSection(),
      section(5, vec({Bytes{0x00, 0x01}})),
      section(6, vec({cat({Bytes{I32, 0x00}, i32Const(1)})})),
      section(7, vec({cat({str("f"), Bytes{0x00}, leb(0)})})),
      codeSection(),
      section(11, vec({cat({Bytes{0x00}, i32Const(0), str("abc")})})),
  });
}

TEST(Malformed, EveryTruncationFailsCleanlyOrEndsAtASectionBoundary) {
  Bytes full = smallModule();
  Module m = readModule(full);
  std::vector<uint64_t> boundaries;
  for (const auto& s : m.sections) boundaries.push_back(s.whole.end);
  for (size_t len = 0; len < full.size(); ++len) {
    Bytes cut(full.begin(), full.begin() + static_cast<long>(len));
    bool boundary =
        len == 8 || std::find(boundaries.begin(), boundaries.end(), len) != boundaries.end();
    try {
      readModule(cut);
      // Only a cut between sections leaves a well-formed module (with fewer sections), and
      // not one that has a function section but lacks its code section.
      EXPECT_TRUE(boundary) << "truncation at " << len << " was accepted";
    } catch (const Error& e) {
      ASSERT_TRUE(e.offset().has_value()) << e.describe();
      EXPECT_LE(*e.offset(), len) << e.describe();
    }
  }
}

TEST(Malformed, BadMagicAndVersion) {
  expectError({}, "bad magic number", 0);
  expectError({0x00, 0x61, 0x73, 0x6e, 0x01, 0, 0, 0}, "bad magic number", 0);
  expectError({0x00, 0x61, 0x73, 0x6d, 0x02, 0, 0, 0}, "unsupported binary version 2", 4);
  expectError({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}, "component", 4);
  expectError({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00}, "version", 4);
}

TEST(Malformed, UnknownSectionId) {
  expectError(module({section(14, {})}), "unknown section id 14", 8);
}

TEST(Malformed, BadLeb128) {
  // Section size with a sixth byte: too long for a u32.
  expectError(cat({header(), Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}}), "LEB128", 9);
  // Section size whose fifth byte sets bits above 32.
  expectError(cat({header(), Bytes{0x01, 0xff, 0xff, 0xff, 0xff, 0x7f}}), "too large", 9);
  // Unterminated.
  expectError(cat({header(), Bytes{0x01, 0x80}}), "end of input in LEB128", 9);
}

TEST(Malformed, SectionOrderAndDuplicates) {
  expectError(
      module({section(5, vec({Bytes{0x00, 0x01}})), section(4, vec({Bytes{FUNCREF, 0x00, 0x01}}))}),
      "table section out of order (after the memory section)", 13);
  expectError(module({typeSection(), typeSection()}), "duplicate type section",
              8 + typeSection().size());
  // The data count section goes before the code section although its id is larger.
  expectError(module({typeSection(), functionSection(), codeSection(), section(12, leb(0))}),
              "data count section out of order",
              8 + typeSection().size() + functionSection().size() + codeSection().size());
  // Custom sections may appear anywhere, several times.
  Module m = readModule(module({customSection("a", {1}), typeSection(), customSection("b", {}),
                                functionSection(), codeSection(), customSection("a", {2})}));
  ASSERT_EQ(m.customs.size(), 3u);
  EXPECT_EQ(m.customs[0].after, std::nullopt);
  EXPECT_EQ(m.customs[1].after, SectionId::Type);
  EXPECT_EQ(m.customs[2].after, SectionId::Code);
}

TEST(Malformed, SectionSizeMismatch) {
  // Type section claiming one byte more than its contents.
  Bytes payload = cat({vec({funcType({}, {})}), Bytes{0x00}});
  expectError(module({section(1, payload)}), "1 unused bytes", 10 + payload.size() - 1);
  // Section larger than the file.
  expectError(cat({header(), Bytes{0x01, 0x10, 0x00}}), "exceeds the 1 bytes left", 9);
  // Contents running past the section's end.
  expectError(module({section(1, Bytes{0x01, 0x60, 0x02})}), "parameter count 2 exceeds", 12);
  expectError(module({section(1, Bytes{0x01, 0x60, 0x00})}), "unexpected end of input", 13);
}

TEST(Malformed, CountTooLarge) {
  expectError(module({section(1, leb(1000000))}), "type count 1000000 exceeds the bytes left", 10);
  expectError(module({typeSection(), section(3, leb(500))}), "function count 500",
              8 + typeSection().size() + 2);
}

TEST(Malformed, BadValueType) {
  expectError(module({section(1, vec({Bytes{0x60, 0x01, 0x55, 0x00}}))}), "unknown value type 0x55",
              13);
  expectError(module({section(1, vec({Bytes{0x61}}))}), "unknown type form 0x61", 11);
  // A reference to a type beyond the (single) type.
  expectError(module({section(1, vec({Bytes{0x60, 0x01, 0x63, 0x05, 0x00}}))}),
              "type index 5 out of range", 13);
}

TEST(Malformed, IndicesOutOfRange) {
  size_t t = typeSection().size();
  // Function section naming type 3 of 1.
  expectError(module({typeSection(), section(3, vec({leb(3)}))}), "type index 3 out of range",
              8 + t + 3);
  // Import of a function of type 2.
  expectError(
      module({typeSection(), section(2, vec({cat({str("m"), str("f"), Bytes{0x00}, leb(2)})}))}),
      "type index 2 out of range", 8 + t + 2 + 1 + 4 + 1);
  // Export of function 1 when there is one function.
  Bytes head = cat({header(), typeSection(), functionSection()});
  expectError(cat({head, section(7, vec({cat({str("f"), Bytes{0x00}, leb(1)})}))}),
              "function index 1 out of range", head.size() + 2 + 1 + 2 + 1);
  // Export of global 0, table 0, memory 0 when there are none.
  expectError(module({section(7, vec({cat({str("g"), Bytes{0x03}, leb(0)})}))}),
              "global index 0 out of range", 14);
  expectError(module({section(7, vec({cat({str("t"), Bytes{0x01}, leb(0)})}))}),
              "table index 0 out of range", 14);
  expectError(module({section(7, vec({cat({str("m"), Bytes{0x02}, leb(0)})}))}),
              "memory index 0 out of range (0 memories)", 14);
  // Start function out of range.
  expectError(module({section(8, leb(0))}), "function index 0 out of range", 10);
  // A global initializer reading a global that does not exist.
  expectError(module({section(6, vec({Bytes{I32, 0x00, 0x23, 0x04, 0x0b}}))}),
              "global index 4 out of range in a constant expression", 13);
  // Element segment for a missing table, and one naming a missing function.
  expectError(module({section(9, vec({cat({Bytes{0x00}, i32Const(0), vec({})})}))}), "no table",
              11);
  expectError(module({section(4, vec({Bytes{FUNCREF, 0x00, 0x01}})),
                      section(9, vec({cat({Bytes{0x00}, i32Const(0), vec({leb(7)})})}))}),
              "function index 7 out of range", 22);
  // Data segment for memory 1 of 1, and for a missing memory.
  expectError(module({section(5, vec({Bytes{0x00, 0x01}})),
                      section(11, vec({cat({Bytes{0x02}, leb(1), i32Const(0), str("")})}))}),
              "memory index 1 out of range", 17);
  expectError(module({section(11, vec({cat({Bytes{0x00}, i32Const(0), str("")})}))}), "no memory",
              11);
}

TEST(Malformed, CodeAndDataCounts) {
  size_t t = typeSection().size(), f = functionSection().size();
  expectError(module({typeSection(), functionSection(), section(10, vec({}))}),
              "code section has 0 bodies but the function section declares 1", 8 + t + f + 2);
  expectError(module({typeSection(), functionSection()}), "no code section", 8 + t + f);
  expectError(module({section(5, vec({Bytes{0x00, 0x01}})), section(12, leb(2)),
                      section(11, vec({cat({Bytes{0x01}, str("x")})}))}),
              "data section has 1 segments but the data count section says 2", 8 + 5 + 3 + 2);
  expectError(module({section(12, leb(1))}), "no data section", 11);
}

TEST(Malformed, BodiesAndSegments) {
  size_t t = typeSection().size(), f = functionSection().size();
  Bytes head = cat({header(), typeSection(), functionSection()});
  // A body that does not end with `end`.
  expectError(cat({head, section(10, cat({leb(1), leb(3), Bytes{0x00, 0x20, 0x00}}))}),
              "does not end with 'end'", 8 + t + f + 2 + 1 + 1 + 2);
  // A body larger than the section.
  expectError(cat({head, section(10, cat({leb(1), leb(9), Bytes{0x00, 0x0b}}))}),
              "function body size 9 exceeds", 8 + t + f + 3);
  // Element and data segments with unknown flags.
  expectError(module({section(9, vec({Bytes{0x08, 0x00}}))}), "malformed element segment flags 8",
              11);
  expectError(module({section(11, vec({Bytes{0x03, 0x00}}))}), "malformed data segment flags 3",
              11);
  // A constant expression without its end.
  expectError(module({section(6, vec({Bytes{I32, 0x00, 0x41, 0x00}}))}), "", 13);
  // Bad limits flags and mutability.
  expectError(module({section(5, vec({Bytes{0x10, 0x01}}))}), "malformed memory limits flags 0x10",
              11);
  expectError(module({section(4, vec({Bytes{FUNCREF, 0x02, 0x01}}))}),
              "malformed table limits flags 0x02", 12);
  expectError(module({section(6, vec({cat({Bytes{I32, 0x02}, i32Const(0)})}))}),
              "malformed mutability 0x02", 12);
  expectError(module({section(2, vec({cat({str("m"), str("x"), Bytes{0x05}})}))}),
              "unknown import kind 0x05", 15);
  expectError(module({section(7, vec({cat({str("x"), Bytes{0x05}, leb(0)})}))}),
              "unknown export kind 0x05", 13);
  // A name that is not UTF-8.
  expectError(module({section(7, vec({cat({leb(1), Bytes{0xff}, Bytes{0x00}, leb(0)})}))}), "UTF-8",
              12);
}

TEST(Malformed, MalformedNameSectionIsKeptRaw) {
  // Function-name subsection whose count overruns it.
  Bytes bad = module({customSection("name", Bytes{0x01, 0x02, 0x05, 0x00})});
  Module m = readModule(bad);
  EXPECT_FALSE(m.names.has_value());
  ASSERT_TRUE(m.nameSectionIndex.has_value());
  EXPECT_EQ(m.customs[*m.nameSectionIndex].name, "name");
}

}  // namespace
}  // namespace asyncify

namespace asyncify {
namespace {

// Deterministic mutations of real modules: every result must read (and then write and
// validate) or fail with an Error; nothing may crash or throw anything else.
void mutateAndRead(const test::Bytes& original, uint32_t seed, int rounds) {
  uint32_t state = seed;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  for (int i = 0; i < rounds; ++i) {
    test::Bytes b = original;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = next() % b.size();
      switch (next() % 4) {
        case 0:
          b[at] = static_cast<uint8_t>(next());
          break;
        case 1:
          b[at] ^= static_cast<uint8_t>(1u << (next() % 8));
          break;
        case 2:
          b.erase(b.begin() + static_cast<long>(at));
          break;
        default:
          b.insert(b.begin() + static_cast<long>(at), static_cast<uint8_t>(next()));
          break;
      }
      if (b.empty()) b.push_back(0);
    }
    try {
      Module m = readModule(b);
      test::Bytes out = writeModule(m);
      ASSERT_EQ(out, b) << "an accepted module must write back unchanged";
      validateModule(m);
    } catch (const Error&) {
    }
  }
}

TEST(Malformed, MutatedModulesNeverCrash) {
  int rounds = 3000;
  if (const char* env = std::getenv("ASYNCIFY_FUZZ_ROUNDS")) rounds = std::atoi(env);
  for (const char* name : {"mvp.wat", "bulk_reftypes.wat", "exceptions_simd.wat",
                           "extended_const.wat", "multi_memory64.wat"}) {
    SCOPED_TRACE(name);
    mutateAndRead(test::buildFixture(name), 12345u + static_cast<uint32_t>(std::strlen(name)),
                  rounds);
  }
}

}  // namespace
}  // namespace asyncify
