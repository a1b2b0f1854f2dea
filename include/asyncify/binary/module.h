// A module as read: structured contents plus the byte ranges they came from, so that whatever
// is not changed is written back byte-for-byte (see writer.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "asyncify/binary/features.h"
#include "asyncify/binary/types.h"

namespace asyncify {

// Section ids of the binary format, in their ids' numeric values.
enum class SectionId : uint8_t {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
  Tag = 13,
};
constexpr unsigned kSectionIdCount = 14;
// The order non-custom sections must appear in.
constexpr SectionId kSectionOrder[] = {
    SectionId::Type,   SectionId::Import,  SectionId::Function,  SectionId::Table,
    SectionId::Memory, SectionId::Tag,     SectionId::Global,    SectionId::Export,
    SectionId::Start,  SectionId::Element, SectionId::DataCount, SectionId::Code,
    SectionId::Data};

// A range of the input bytes (absolute offsets). Empty for items created by a transform.
struct ByteRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

// A constant expression: original bytes (including the final `end`) or new bytes.
struct ConstExpr {
  ByteRange range;             // when read from the input
  std::vector<uint8_t> bytes;  // when created or rewritten (takes precedence if non-empty)
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t typeIndex = 0;  // Func, Tag (tag: the tag's function type)
  TableType table;
  MemoryType memory;
  GlobalType global;
  uint8_t tagAttribute = 0;
};

struct Function {
  uint32_t typeIndex = 0;
  ByteRange body;                    // the body after its size: locals + code + end
  std::vector<uint8_t> replacement;  // a new body (locals + code) when `replaced`
  bool replaced = false;
};

struct Table {
  TableType type;
  std::optional<ConstExpr> init;  // tables with an initializer expression (0x40 0x00 form)
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table = 0;
  ConstExpr offset;                   // Active
  ValType type = ValType::funcref();  // element type
  bool usesExprs = false;             // element expressions rather than function indices
  std::vector<uint32_t> functions;    // !usesExprs
  std::vector<ConstExpr> exprs;       // usesExprs
  uint32_t flags = 0;                 // the encoding's flag byte, kept to re-encode identically
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t memory = 0;
  ConstExpr offset;
  ByteRange data;                // input bytes
  std::vector<uint8_t> newData;  // created segments
  uint32_t flags = 0;
};

struct CustomSection {
  std::string name;
  ByteRange payload;  // after the name
  std::vector<uint8_t> newPayload;
  bool replaced = false;
  // Where it stood: after the last non-custom section that preceded it (nullopt: before all).
  std::optional<SectionId> after;
};

// The parsed `name` custom section. Subsections we do not model are kept as raw bytes.
struct NameSection {
  std::optional<std::string> moduleName;
  std::map<uint32_t, std::string> functions;                               // subsection 1
  std::map<uint32_t, std::map<uint32_t, std::string>> locals;              // subsection 2
  std::map<uint32_t, std::string> globals;                                 // subsection 7
  std::vector<std::pair<uint8_t, std::vector<uint8_t>>> otherSubsections;  // id, payload
};

struct Module {
  // The input, owned by the module: every ByteRange points into it.
  std::vector<uint8_t> bytes;

  std::vector<SubType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;   // defined functions only
  std::vector<Table> tables;         // defined
  std::vector<MemoryType> memories;  // defined
  std::vector<TagType> tags;         // defined
  std::vector<Global> globals;       // defined
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> dataCount;
  std::vector<DataSegment> data;
  std::vector<CustomSection> customs;
  std::optional<NameSection> names;        // parsed from the custom section named "name", if valid
  std::optional<size_t> nameSectionIndex;  // index in `customs`

  FeatureSet features;  // gathered while reading

  // Sections present in the input and their ranges (id, size and payload).
  struct SectionRecord {
    SectionId id;
    ByteRange whole;  // from the id byte to the end of the payload
    ByteRange payload;
  };
  std::vector<SectionRecord> sections;

  // A transform that changes a section's contents marks it; the writer re-encodes marked
  // sections and copies the others verbatim.
  void markChanged(SectionId id) { changed_[static_cast<unsigned>(id)] = true; }
  bool isChanged(SectionId id) const { return changed_[static_cast<unsigned>(id)]; }

  // Index spaces: imports come first.
  uint32_t numImportedFunctions() const { return importedCount_[0]; }
  uint32_t numImportedTables() const { return importedCount_[1]; }
  uint32_t numImportedMemories() const { return importedCount_[2]; }
  uint32_t numImportedGlobals() const { return importedCount_[3]; }
  uint32_t numImportedTags() const { return importedCount_[4]; }
  uint32_t numFunctions() const { return numImportedFunctions() + functions.size(); }
  uint32_t numGlobals() const { return numImportedGlobals() + globals.size(); }
  uint32_t numTables() const { return numImportedTables() + tables.size(); }
  uint32_t numMemories() const { return numImportedMemories() + memories.size(); }
  uint32_t numTags() const { return numImportedTags() + tags.size(); }
  // Recomputes the imported counts (call after editing `imports`).
  void countImports();

  // Lookups across the index spaces.
  uint32_t functionTypeIndex(uint32_t funcIndex) const;
  const FuncType& functionType(uint32_t funcIndex) const;
  const FuncType& funcType(uint32_t typeIndex) const;  // throws if not a function type
  // Type `typeIndex` and its declared supertypes, nearest first. Stops at an index out of range
  // and after as many steps as there are types, so a malformed type section cannot loop.
  std::vector<uint32_t> supertypeChain(uint32_t typeIndex) const;
  // Appends a function of type `typeIndex` whose body (locals + code, as Function::replacement)
  // is `body`, named `name` when the module keeps names; returns its index.
  uint32_t addFunction(uint32_t typeIndex, std::vector<uint8_t> body, std::string name);
  GlobalType globalType(uint32_t globalIndex) const;
  TableType tableType(uint32_t tableIndex) const;
  MemoryType memoryType(uint32_t memoryIndex) const;
  // The import record of an imported function, or nullptr.
  const Import* functionImport(uint32_t funcIndex) const;
  // Name from the name section, or nullopt.
  std::optional<std::string> functionName(uint32_t funcIndex) const;

  // The bytes of a function body (input range or replacement).
  std::span<const uint8_t> bodyBytes(const Function& f) const;
  std::span<const uint8_t> range(ByteRange r) const { return {bytes.data() + r.begin, r.size()}; }
  std::span<const uint8_t> exprBytes(const ConstExpr& e) const {
    return e.bytes.empty() ? range(e.range) : std::span<const uint8_t>(e.bytes);
  }

  // The index of a final, non-recursive function type identical to `t`, if the module has one.
  std::optional<uint32_t> findFuncType(const FuncType& t) const;
  // Adds a function type if an identical final, non-recursive one is absent; returns its index.
  uint32_t internFuncType(const FuncType& t);

 private:
  const Import& nthImport(ExternKind kind, uint32_t n) const;

  bool changed_[kSectionIdCount] = {};
  uint32_t importedCount_[5] = {};
  // Per kind, the position in `imports` of each import of that kind (set by countImports),
  // so that lookups of imported items do not scan the imports.
  std::vector<uint32_t> importPos_[5];
};

}  // namespace asyncify
