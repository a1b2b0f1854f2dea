// Text forms of types, as the text format writes them (used in error messages).
#include "asyncify/binary/types.h"

namespace asyncify {

std::string toString(HeapType h) {
  if (h.isIndex()) return std::to_string(h.typeIndex());
  switch (h.code) {
    case HeapType::NoExn:
      return "noexn";
    case HeapType::NoFunc:
      return "nofunc";
    case HeapType::NoExtern:
      return "noextern";
    case HeapType::None:
      return "none";
    case HeapType::Func:
      return "func";
    case HeapType::Extern:
      return "extern";
    case HeapType::Any:
      return "any";
    case HeapType::Eq:
      return "eq";
    case HeapType::I31:
      return "i31";
    case HeapType::Struct:
      return "struct";
    case HeapType::Array:
      return "array";
    case HeapType::Exn:
      return "exn";
  }
  return "heaptype(" + std::to_string(h.code) + ")";
}

std::string toString(ValType t) {
  switch (t.kind) {
    case ValType::I32:
      return "i32";
    case ValType::I64:
      return "i64";
    case ValType::F32:
      return "f32";
    case ValType::F64:
      return "f64";
    case ValType::V128:
      return "v128";
    case ValType::Bottom:
      return "bot";
    case ValType::Ref:
      break;
  }
  if (t.nullable && !t.heap.isIndex()) {
    // The shorthands: funcref, externref, anyref, nullref (for none), ...
    switch (t.heap.code) {
      case HeapType::None:
        return "nullref";
      case HeapType::NoFunc:
        return "nullfuncref";
      case HeapType::NoExtern:
        return "nullexternref";
      case HeapType::NoExn:
        return "nullexnref";
      default:
        return toString(t.heap) + "ref";
    }
  }
  return std::string(t.nullable ? "(ref null " : "(ref ") + toString(t.heap) + ")";
}

}  // namespace asyncify
