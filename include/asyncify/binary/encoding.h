// Primitive encoders and the shared decoders of types, used by the module reader/writer and
// the instruction codec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "asyncify/binary/cursor.h"
#include "asyncify/binary/features.h"
#include "asyncify/binary/types.h"

namespace asyncify {

void writeVarU32(std::vector<uint8_t>& out, uint32_t v);
// Bytes that writeVarU32 takes for `v` (for size estimates before writing).
size_t varU32Size(uint32_t v);
void writeVarU64(std::vector<uint8_t>& out, uint64_t v);
void writeVarS32(std::vector<uint8_t>& out, int32_t v);
void writeVarS64(std::vector<uint8_t>& out, int64_t v);
void writeName(std::vector<uint8_t>& out, std::string_view name);
void writeFixedU32(std::vector<uint8_t>& out, uint32_t v);
void writeFixedU64(std::vector<uint8_t>& out, uint64_t v);

HeapType readHeapType(Cursor& c);
ValType readValType(Cursor& c);
void writeHeapType(std::vector<uint8_t>& out, HeapType h);
void writeValType(std::vector<uint8_t>& out, ValType t);

// The feature a value type needs (Mvp for numeric types).
Feature featureOf(ValType t);

}  // namespace asyncify
