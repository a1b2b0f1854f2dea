// writeModule: sections in canonical order, each copied verbatim from the input unless it was
// marked changed (or depends on something that changed), custom sections at their places.
#include "asyncify/binary/writer.h"

#include <cstring>
#include <optional>

#include "asyncify/binary/encoding.h"
#include "names.h"
#include "writer_internal.h"

namespace asyncify {

namespace {

using Bytes = std::vector<uint8_t>;

// Whether section `id` must be re-encoded rather than copied.
bool needsEncoding(const Module& m, SectionId id) {
  if (m.isChanged(id)) return true;
  switch (id) {
    case SectionId::Code:
      // A changed function list or any replaced body changes the code section.
      if (m.isChanged(SectionId::Function)) return true;
      for (const Function& f : m.functions)
        if (f.replaced) return true;
      return false;
    case SectionId::DataCount:
      return m.isChanged(SectionId::Data);
    default:
      return false;
  }
}

void appendSection(Bytes& out, uint8_t id, const Bytes& payload) {
  out.push_back(id);
  writeVarU32(out, static_cast<uint32_t>(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
}

class Writer {
 public:
  explicit Writer(const Module& m) : m_(m) {
    for (const auto& s : m.sections) {
      if (s.id == SectionId::Custom)
        customRecords_.push_back(&s);
      else
        present_[static_cast<unsigned>(s.id)] = &s, lastPresent_ = s.id;
    }
    rewriteNames_ = m.names && m.isChanged(SectionId::Custom);
  }

  Bytes write() {
    Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    out.reserve(m_.bytes.size() + 64);
    writeCustoms(out, std::nullopt);
    for (SectionId id : kSectionOrder) {
      const Module::SectionRecord* rec = present_[static_cast<unsigned>(id)];
      if (rec && !needsEncoding(m_, id)) {
        copy(out, rec->whole);
      } else {
        Bytes payload;
        bool hasContent = detail::encodeSection(m_, id, payload);
        // A section present in the input stays (even if now empty), except those whose
        // emptiness is their absence (start, data count).
        bool optional = id == SectionId::Start || id == SectionId::DataCount;
        if (hasContent || (rec && !optional)) appendSection(out, static_cast<uint8_t>(id), payload);
      }
      // Custom sections that trailed the input keep trailing, even behind sections added
      // since (engines and wabt expect `name` after the code).
      if (id != lastPresent_) writeCustoms(out, id);
    }
    if (lastPresent_) writeCustoms(out, lastPresent_);
    if (rewriteNames_ && !m_.nameSectionIndex) writeNameSection(out);
    return out;
  }

 private:
  void copy(Bytes& out, ByteRange r) {
    auto b = m_.range(r);
    out.insert(out.end(), b.begin(), b.end());
  }

  void writeNameSection(Bytes& out) {
    Bytes payload;
    writeName(payload, "name");
    Bytes names = detail::encodeNameSection(*m_.names);
    payload.insert(payload.end(), names.begin(), names.end());
    appendSection(out, 0, payload);
  }

  void writeCustoms(Bytes& out, std::optional<SectionId> after) {
    for (size_t i = 0; i < m_.customs.size(); ++i) {
      const CustomSection& c = m_.customs[i];
      if (c.after != after) continue;
      if (rewriteNames_ && m_.nameSectionIndex == i) {
        writeNameSection(out);
      } else if (const auto* rec = c.replaced ? nullptr : recordOf(c)) {
        copy(out, rec->whole);
      } else {
        Bytes payload;
        writeName(payload, c.name);
        auto body = c.replaced ? std::span<const uint8_t>(c.newPayload) : m_.range(c.payload);
        payload.insert(payload.end(), body.begin(), body.end());
        appendSection(out, 0, payload);
      }
    }
  }

  // The input section a custom section was read from (matched by where its payload ends).
  const Module::SectionRecord* recordOf(const CustomSection& c) const {
    if (c.payload.end == 0) return nullptr;
    for (const auto* r : customRecords_)
      if (r->payload.end == c.payload.end) return r;
    return nullptr;
  }

  const Module& m_;
  const Module::SectionRecord* present_[kSectionIdCount] = {};
  std::vector<const Module::SectionRecord*> customRecords_;
  bool rewriteNames_ = false;
  std::optional<SectionId> lastPresent_;
};

}  // namespace

std::vector<uint8_t> writeModule(const Module& module) {
  return Writer(module).write();
}

}  // namespace asyncify
