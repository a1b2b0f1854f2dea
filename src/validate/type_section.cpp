// Well-formedness of the type section: every referenced index exists within the reach of its
// rec group, and declared supertypes obey the GC rules (one at most, earlier, not final, same
// kind, matching structure).
#include <string>

#include "asyncify/binary/error.h"
#include "type_context.h"

namespace asyncify::validate {
namespace {

uint64_t typeSectionOffset(const Module& m) {
  for (const auto& s : m.sections)
    if (s.id == SectionId::Type) return s.payload.begin;
  return 0;
}

[[noreturn]] void fail(const Module& m, uint32_t index, const std::string& what) {
  throw Error("type " + std::to_string(index) + ": " + what, typeSectionOffset(m));
}

void checkRefs(const TypeContext& ctx, uint32_t index, const SubType& t, uint32_t limit) {
  auto check = [&](ValType v) {
    if (!ctx.validValType(v, limit))
      fail(ctx.module(), index, "refers to undefined type in " + typeName(v));
  };
  switch (t.kind) {
    case SubType::Func:
      for (auto p : t.func.params) check(p);
      for (auto r : t.func.results) check(r);
      break;
    case SubType::Array:
      if (t.fields.size() != 1) fail(ctx.module(), index, "an array type has exactly one field");
      [[fallthrough]];
    case SubType::Struct:
      for (const auto& f : t.fields)
        if (f.storage.packed == StorageType::None) check(f.storage.type);
      break;
  }
}

bool structureMatches(const TypeContext& ctx, const SubType& sub, const SubType& super) {
  switch (sub.kind) {
    case SubType::Func:
      return ctx.isFuncSubtype(sub.func, super.func);
    case SubType::Struct:
      if (sub.fields.size() < super.fields.size()) return false;
      for (size_t i = 0; i < super.fields.size(); ++i)
        if (!ctx.isFieldSubtype(sub.fields[i], super.fields[i])) return false;
      return true;
    case SubType::Array:
      return ctx.isFieldSubtype(sub.fields[0], super.fields[0]);
  }
  return false;
}

}  // namespace

void validateTypeSection(const TypeContext& ctx) {
  const auto& types = ctx.module().types;
  for (uint32_t i = 0; i < types.size(); ++i) {
    const SubType& t = types[i];
    uint64_t groupEnd = uint64_t{t.recGroupStart} + t.recGroupSize;
    if (t.recGroupStart > i || groupEnd <= i || groupEnd > types.size())
      fail(ctx.module(), i, "inconsistent rec group bounds");
    checkRefs(ctx, i, t, static_cast<uint32_t>(groupEnd));
    if (t.supertypes.size() > 1) fail(ctx.module(), i, "has more than one supertype");
    if (t.supertypes.empty()) continue;
    uint32_t s = t.supertypes[0];
    if (s >= i)
      fail(ctx.module(), i, "supertype " + std::to_string(s) + " is not defined before it");
    const SubType& super = types[s];
    if (super.final) fail(ctx.module(), i, "supertype " + std::to_string(s) + " is final");
    if (super.kind != t.kind)
      fail(ctx.module(), i, "kind differs from supertype " + std::to_string(s));
    if (!structureMatches(ctx, t, super))
      fail(ctx.module(), i, "does not match its supertype " + std::to_string(s));
  }
}

}  // namespace asyncify::validate
