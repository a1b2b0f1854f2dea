// Canonical encoding of instructions and function bodies: shortest LEB128 forms, memory
// indices only when non-zero, locals grouped into runs of equal types.
#include "asyncify/binary/encoding.h"
#include "asyncify/binary/instr.h"

namespace asyncify {

namespace {

void writeBlockType(std::vector<uint8_t>& out, const BlockType& bt) {
  switch (bt.kind) {
    case BlockType::Empty:
      out.push_back(0x40);
      return;
    case BlockType::Value:
      writeValType(out, bt.value);
      return;
    case BlockType::Index:
      writeVarS64(out, static_cast<int64_t>(bt.index));
      return;
  }
}

void writeMemArg(std::vector<uint8_t>& out, const Instr& in) {
  if (in.a != 0) {
    writeVarU32(out, in.b | 0x40);  // multi-memory: flag an explicit memory index
    writeVarU32(out, in.a);
  } else {
    writeVarU32(out, in.b);
  }
  writeVarU64(out, in.value);
}

template <typename T>
const T& poolEntry(const std::vector<T>& pool, uint64_t index, const char* what) {
  if (index >= pool.size())
    throw Error(std::string("instruction refers past the ") + what + " pool");
  return pool[index];
}

}  // namespace

void encodeInstr(const Instr& in, const CodePools& pools, std::vector<uint8_t>& out) {
  const OpInfo& info = in.info();
  if (info.prefix) {
    out.push_back(info.prefix);
    writeVarU32(out, info.code);
  } else {
    out.push_back(static_cast<uint8_t>(info.code));
  }
  switch (info.imm) {
    case ImmKind::None:
      break;
    case ImmKind::Block:
      writeBlockType(out, in.block);
      break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Memory:
    case ImmKind::Tag:
    case ImmKind::Type:
    case ImmKind::Data:
    case ImmKind::Elem:
      writeVarU32(out, in.a);
      break;
    case ImmKind::CallIndirect:
    case ImmKind::TypeField:
    case ImmKind::TypeType:
    case ImmKind::TypeData:
    case ImmKind::TypeElem:
    case ImmKind::TypeLen:
    case ImmKind::TableTable:
    case ImmKind::ElemTable:
    case ImmKind::MemMem:
    case ImmKind::DataMem:
      writeVarU32(out, in.a);
      writeVarU32(out, in.b);
      break;
    case ImmKind::BrTable:
      writeVarU32(out, in.b);
      for (uint64_t i = 0; i <= in.b; ++i)
        writeVarU32(out, poolEntry(pools.labels, in.value + i, "label"));
      break;
    case ImmKind::MemArg:
      writeMemArg(out, in);
      break;
    case ImmKind::MemArgLane:
      writeMemArg(out, in);
      out.push_back(in.lane);
      break;
    case ImmKind::I32:
      writeVarS32(out, static_cast<int32_t>(static_cast<uint32_t>(in.value)));
      break;
    case ImmKind::I64:
      writeVarS64(out, static_cast<int64_t>(in.value));
      break;
    case ImmKind::F32:
      writeFixedU32(out, static_cast<uint32_t>(in.value));
      break;
    case ImmKind::F64:
      writeFixedU64(out, in.value);
      break;
    case ImmKind::V128:
    case ImmKind::Shuffle: {
      const auto& v = poolEntry(pools.v128, in.value, "v128");
      out.insert(out.end(), v.begin(), v.end());
      break;
    }
    case ImmKind::Lane:
      out.push_back(in.lane);
      break;
    case ImmKind::SelectTyped:
      writeVarU32(out, in.b);
      for (uint64_t i = 0; i < in.b; ++i)
        writeValType(out, poolEntry(pools.types, in.value + i, "type"));
      break;
    case ImmKind::HeapType:
    case ImmKind::RefCast:
      writeHeapType(out, in.type.heap);
      break;
    case ImmKind::BrOnCast:
      out.push_back(in.lane);
      writeVarU32(out, in.a);
      writeHeapType(out, in.type.heap);
      writeHeapType(out, HeapType{static_cast<int32_t>(in.b)});
      break;
    case ImmKind::TryTable:
      writeBlockType(out, in.block);
      writeVarU32(out, in.b);
      for (uint64_t i = 0; i < in.b; ++i) {
        const CatchClause& c = poolEntry(pools.catches, in.value + i, "catch");
        out.push_back(static_cast<uint8_t>(c.kind));
        if (c.kind == CatchClause::Catch || c.kind == CatchClause::CatchRef)
          writeVarU32(out, c.tag);
        writeVarU32(out, c.label);
      }
      break;
    case ImmKind::Zero:
      out.push_back(0);
      break;
  }
}

std::vector<uint8_t> encodeFunctionBody(std::span<const ValType> locals,
                                        std::span<const Instr> code, const CodePools& pools) {
  std::vector<uint8_t> out;
  out.reserve(code.size() * 3 + locals.size() / 4 + 8);
  uint32_t runs = 0;
  for (size_t i = 0; i < locals.size(); ++i)
    if (i == 0 || !(locals[i] == locals[i - 1])) ++runs;
  writeVarU32(out, runs);
  for (size_t i = 0; i < locals.size();) {
    size_t j = i + 1;
    while (j < locals.size() && locals[j] == locals[i]) ++j;
    writeVarU32(out, static_cast<uint32_t>(j - i));
    writeValType(out, locals[i]);
    i = j;
  }
  for (const Instr& in : code) encodeInstr(in, pools, out);
  return out;
}

}  // namespace asyncify
