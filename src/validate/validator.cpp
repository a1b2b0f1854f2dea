// The public entry points: whole modules, one decoded body, or one defined function.
#include "asyncify/validate/validator.h"

#include <string>

#include "asyncify/binary/error.h"
#include "function_checker.h"
#include "module_checks.h"
#include "module_context.h"

namespace asyncify {
namespace {

using validate::FunctionChecker;
using validate::ModuleContext;

// Streams one defined function's body through the checker. `pools` and `instr` are reused
// across functions so that checking allocates nothing per instruction.
void checkBody(const ModuleContext& ctx, FunctionChecker& checker, uint32_t definedIndex,
               CodePools& pools, StackObserver* observer) {
  const Module& m = ctx.module();
  const Function& f = m.functions[definedIndex];
  uint32_t funcIndex = m.numImportedFunctions() + definedIndex;
  uint64_t bodyOffset = f.replaced ? 0 : f.body.begin;
  try {
    const FuncType* type = ctx.types().funcType(f.typeIndex);
    if (!type)
      throw Error("type " + std::to_string(f.typeIndex) + " is not a function type", bodyOffset);
    FunctionCode code = readFunctionCode(m.bodyBytes(f), bodyOffset);
    pools.clear();
    InstrReader reader(code.code, code.codeOffset, pools);
    checker.begin(*type, code.locals, observer);
    Instr instr;
    for (size_t index = 0; !reader.atEnd(); ++index) {
      reader.next(instr);
      checker.step(instr, pools, index);
    }
    checker.finish(code.codeOffset + code.code.size());
  } catch (const Error& e) {
    std::string where = "function " + std::to_string(funcIndex);
    if (auto name = m.functionName(funcIndex)) where += " (" + *name + ")";
    throw Error(where + ": " + e.message(), e.offset() ? e.offset() : std::optional(bodyOffset),
                e.feature());
  }
}

}  // namespace

void validateModule(const Module& module, const ValidateOptions&) {
  ModuleContext ctx(module);
  validate::validateModuleFields(ctx);
  FunctionChecker checker(ctx);
  CodePools pools;
  for (uint32_t i = 0; i < module.functions.size(); ++i) checkBody(ctx, checker, i, pools, nullptr);
}

void validateCode(const Module& module, const FuncType& type, std::span<const ValType> locals,
                  std::span<const Instr> code, const CodePools& pools, StackObserver* observer) {
  ModuleContext ctx(module);
  FunctionChecker checker(ctx);
  checker.begin(type, locals, observer);
  for (size_t i = 0; i < code.size(); ++i) checker.step(code[i], pools, i);
  checker.finish(code.empty() ? 0 : code.back().offset);
}

void validateFunction(const Module& module, uint32_t definedIndex, StackObserver* observer) {
  if (definedIndex >= module.functions.size())
    throw Error("defined function " + std::to_string(definedIndex) + " out of range (" +
                std::to_string(module.functions.size()) + " defined function(s))");
  ModuleContext ctx(module);
  FunctionChecker checker(ctx);
  CodePools pools;
  checkBody(ctx, checker, definedIndex, pools, observer);
}

}  // namespace asyncify
