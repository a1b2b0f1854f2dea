// readModule: the header, the section framing (ids, order, sizes) and the cross-section checks.
// Each section's contents are read by the methods in reader_types.cpp, reader_sections.cpp
// and reader_segments.cpp.
#include "asyncify/binary/reader.h"

#include <fmt/format.h>

#include "reader_internal.h"

namespace asyncify {
namespace detail {

const char* sectionName(SectionId id) {
  switch (id) {
    case SectionId::Custom:
      return "custom";
    case SectionId::Type:
      return "type";
    case SectionId::Import:
      return "import";
    case SectionId::Function:
      return "function";
    case SectionId::Table:
      return "table";
    case SectionId::Memory:
      return "memory";
    case SectionId::Global:
      return "global";
    case SectionId::Export:
      return "export";
    case SectionId::Start:
      return "start";
    case SectionId::Element:
      return "element";
    case SectionId::Code:
      return "code";
    case SectionId::Data:
      return "data";
    case SectionId::DataCount:
      return "data count";
    case SectionId::Tag:
      return "tag";
  }
  return "unknown";
}

namespace {

// Position of a non-custom section in kSectionOrder.
unsigned orderOf(SectionId id) {
  for (unsigned i = 0; i < std::size(kSectionOrder); ++i)
    if (kSectionOrder[i] == id) return i;
  return ~0u;
}

}  // namespace

void ModuleReader::read() {
  Cursor c(m_.bytes);
  if (c.remaining() < 4 || std::memcmp(m_.bytes.data(), "\0asm", 4) != 0)
    c.fail("bad magic number: not a WebAssembly module");
  c.skip(4);
  if (c.remaining() < 4) c.fail("unexpected end of input in the version field");
  uint32_t version = c.readFixedU32();
  if (version != 1) {
    // Components share the magic number; their version field has layer 1 in its upper half.
    if ((version >> 16) == 1) c.failAt(4, "this is a component, not a core module");
    c.failAt(4, fmt::format("unsupported binary version {} (expected 1)", version));
  }

  while (!c.atEnd()) {
    uint64_t start = c.offset();
    uint8_t idByte = c.readByte();
    if (idByte >= kSectionIdCount) c.failAt(start, fmt::format("unknown section id {}", idByte));
    auto id = static_cast<SectionId>(idByte);
    uint64_t sizeAt = c.offset();
    uint32_t size = c.readVarU32();
    if (size > c.remaining())
      c.failAt(sizeAt, fmt::format("{} section size {} exceeds the {} bytes left", sectionName(id),
                                   size, c.remaining()));
    uint64_t payloadBegin = c.offset();
    Module::SectionRecord record{
        id, {start, payloadBegin + size}, {payloadBegin, payloadBegin + size}};

    if (id != SectionId::Custom) {
      if (lastNonCustom_) {
        if (*lastNonCustom_ == id)
          c.failAt(start, fmt::format("duplicate {} section", sectionName(id)));
        if (orderOf(*lastNonCustom_) > orderOf(id))
          c.failAt(start, fmt::format("{} section out of order (after the {} section)",
                                      sectionName(id), sectionName(*lastNonCustom_)));
      }
    }

    Cursor section(c.readBytes(size), payloadBegin);
    m_.sections.push_back(record);
    if (id == SectionId::Custom) {
      readCustomSection(section, record);
      continue;
    }
    readSection(id, section);
    if (!section.atEnd())
      section.fail(fmt::format("{} section has {} unused bytes at its end (section size mismatch)",
                               sectionName(id), section.remaining()));
    lastNonCustom_ = id;
  }
  finish();
}

void ModuleReader::readSection(SectionId id, Cursor& c) {
  switch (id) {
    case SectionId::Type:
      return readTypeSection(c);
    case SectionId::Import:
      return readImportSection(c);
    case SectionId::Function:
      return readFunctionSection(c);
    case SectionId::Table:
      return readTableSection(c);
    case SectionId::Memory:
      return readMemorySection(c);
    case SectionId::Tag:
      return readTagSection(c);
    case SectionId::Global:
      return readGlobalSection(c);
    case SectionId::Export:
      return readExportSection(c);
    case SectionId::Start:
      return readStartSection(c);
    case SectionId::Element:
      return readElementSection(c);
    case SectionId::DataCount:
      return readDataCountSection(c);
    case SectionId::Code:
      return readCodeSection(c);
    case SectionId::Data:
      return readDataSection(c);
    case SectionId::Custom:
      break;
  }
}

void ModuleReader::finish() {
  uint64_t end = m_.bytes.size();
  if (!sawCodeSection_ && !m_.functions.empty())
    throw Error(fmt::format("function section declares {} functions but there is no code section",
                            m_.functions.size()),
                end);
  if (m_.dataCount && !sawDataSection_ && *m_.dataCount != 0)
    throw Error(fmt::format("data count section says {} segments but there is no data section",
                            *m_.dataCount),
                end);
  if (m_.numMemories() > 1) m_.features.add(Feature::MultiMemory);
  if (m_.numTables() > 1) m_.features.add(Feature::ReferenceTypes);
}

}  // namespace detail

Module readModule(std::vector<uint8_t> bytes, const ReadOptions& options) {
  Module m;
  m.bytes = std::move(bytes);
  detail::ModuleReader(m, options).read();
  return m;
}

}  // namespace asyncify
