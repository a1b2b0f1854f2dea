// Constant expressions: which operators are constant (including extended-const arithmetic and
// the GC allocation and conversion operators), which globals they may read, and their type.
#include "const_expr.h"

#include "asyncify/binary/error.h"
#include "op_semantics.h"

namespace asyncify::validate {
namespace {

bool isConstantOp(const OpInfo& info) {
  switch (info.prefix) {
    case 0:
      switch (info.code) {
        case 0x0b:  // end
        case 0x23:  // global.get
        case 0x41:
        case 0x42:
        case 0x43:
        case 0x44:  // t.const
        case 0xd0:
        case 0xd2:  // ref.null, ref.func
        case 0x6a:
        case 0x6b:
        case 0x6c:  // i32.add/sub/mul (extended-const)
        case 0x7c:
        case 0x7d:
        case 0x7e:  // i64.add/sub/mul
          return true;
        default:
          return false;
      }
    case 0xfd:
      return info.code == 0x0c;  // v128.const
    case 0xfb:
      switch (info.code) {
        case 0:
        case 1:  // struct.new, struct.new_default
        case 6:
        case 7:
        case 8:  // array.new, array.new_default, array.new_fixed
        case 26:
        case 27:  // any.convert_extern, extern.convert_any
        case 28:  // ref.i31
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

}  // namespace

void ConstExprValidator::check(const ConstExpr& expr, ValType expected, uint32_t globalLimit,
                               const std::string& what) {
  auto bytes = ctx_.module().exprBytes(expr);
  uint64_t base = exprOffset(expr);
  try {
    pools_.clear();
    InstrReader reader(bytes, base, pools_);
    checker_.beginConstExpr(expected);
    Instr in;
    size_t index = 0;
    while (!reader.atEnd()) {
      reader.next(in);
      const OpInfo& info = in.info();
      if (!checker_.finished() && !isConstantOp(info))
        throw Error(std::string(info.text) + " is not a constant instruction", in.offset);
      if (!checker_.finished() && info.prefix == 0 && info.code == 0x23) {
        const GlobalType* g = ctx_.global(in.a);
        if (g && g->mutable_)
          throw Error(
              "global.get of mutable global " + std::to_string(in.a) + " in a constant expression",
              in.offset);
        if (g && in.a >= globalLimit)
          throw Error("global.get of global " + std::to_string(in.a) +
                          ", which is not visible here (only imported and earlier globals are)",
                      in.offset);
      }
      checker_.step(in, pools_, index++);
    }
    checker_.finish(base + bytes.size());
  } catch (const Error& e) {
    throw Error(what + ": " + e.message(), e.offset() ? e.offset() : std::optional(base),
                e.feature());
  }
}

void collectRefFuncs(const Module& module, const ConstExpr& expr, std::vector<uint8_t>& refs) {
  CodePools pools;
  try {
    InstrReader reader(module.exprBytes(expr), exprOffset(expr), pools);
    Instr in;
    while (!reader.atEnd()) {
      reader.next(in);
      if (semantics(in.op).vop == VOp::RefFunc && in.a < refs.size()) refs[in.a] = 1;
    }
  } catch (const Error&) {
    // Reported when the expression itself is validated.
  }
}

}  // namespace asyncify::validate
