// Typing rules of exception handling: the legacy proposal (try / catch / catch_all / rethrow /
// delegate) and the current one (try_table with catch clauses, throw_ref, exnref).
#include <string>

#include "function_checker.h"

namespace asyncify::validate {
namespace {

ValType exnref() {
  return ValType::ref(HeapType{HeapType::Exn}, true);
}

// What catch_ref and catch_all_ref hand their label: the caught exception, never null.
ValType caughtExnref() {
  return ValType::ref(HeapType{HeapType::Exn}, false);
}

}  // namespace

void FunctionChecker::checkException(const Instr& in, VOp vop, const CodePools& pools) {
  switch (vop) {
    case VOp::Try:
      return enterBlock(FrameKind::Try, in.block);
    case VOp::Catch:
    case VOp::CatchAll: {
      FrameKind k = stack_.innermost().kind;
      if (k != FrameKind::Try && k != FrameKind::Catch)
        stack_.fail(stack_.opName() + " without a matching try");
      std::span<const ValType> params;
      if (vop == VOp::Catch) params = tagAt(in.a).params;
      Frame f = stack_.popFrame();
      stack_.pushFrame(vop == VOp::Catch ? FrameKind::Catch : FrameKind::CatchAll,
                       continuation(f, params), false);
      return;
    }
    case VOp::Delegate: {
      if (stack_.innermost().kind != FrameKind::Try)
        stack_.fail("delegate without a matching try (or after a catch)");
      Frame f = stack_.popFrame();
      stack_.frame(in.a);  // the target is counted from outside the try
      stack_.pushAll(f.resultTypes());
      return;
    }
    case VOp::Throw: {
      const FuncType& tag = tagAt(in.a);
      stack_.popAll(tag.params);
      stack_.markUnreachable();
      return;
    }
    case VOp::Rethrow: {
      FrameKind k = stack_.frame(in.a).kind;
      if (k != FrameKind::Catch && k != FrameKind::CatchAll)
        stack_.fail("rethrow target " + std::to_string(in.a) + " is not a catch block");
      stack_.markUnreachable();
      return;
    }
    case VOp::ThrowRef:
      stack_.pop(exnref());
      stack_.markUnreachable();
      return;
    case VOp::TryTable: {
      BlockSig sig = blockSig(in.block);
      uint64_t first = in.value, count = in.b;
      if (first + count > pools.catches.size()) stack_.fail("try_table catch clauses missing");
      // Catch labels are counted from outside the try_table.
      for (uint64_t i = 0; i < count; ++i) {
        const CatchClause& c = pools.catches[first + i];
        auto label = stack_.frame(c.label).labelTypes();
        std::span<const ValType> params;
        if (c.kind == CatchClause::Catch || c.kind == CatchClause::CatchRef)
          params = tagAt(c.tag).params;
        bool withRef = c.kind == CatchClause::CatchRef || c.kind == CatchClause::CatchAllRef;
        bool ok = label.size() == params.size() + (withRef ? 1 : 0) &&
                  types_.matchesAll(params, label.first(params.size())) &&
                  (!withRef || types_.matches(caughtExnref(), label.back()));
        if (!ok) {
          std::string got = typeListName(params);
          if (withRef) got.insert(got.size() - 1, params.empty() ? "(ref exn)" : " (ref exn)");
          stack_.fail("type mismatch in try_table catch clause " + std::to_string(i) + ": label " +
                      std::to_string(c.label) + " takes " + typeListName(label) +
                      ", the clause gives " + got);
        }
      }
      stack_.pushFrame(FrameKind::TryTable, sig);
      return;
    }
    default:
      break;
  }
  stack_.fail("internal: no exception rule for " + stack_.opName());
}

}  // namespace asyncify::validate
