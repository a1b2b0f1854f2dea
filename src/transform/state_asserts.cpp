#include "state_asserts.h"

#include "asyncify/binary/instr.h"

namespace asyncify {

uint32_t addStateAsserts(Module& m, const Pausability& p, uint32_t stateGlobal) {
  using Role = Pausability::Role;
  const uint32_t numImported = m.numImportedFunctions();
  uint32_t changed = 0;
  // The module's own functions only: the helpers added since the analysis (frame save and
  // restore, recalls that run only while rewinding) have no role and must not be checked.
  const auto analysed = static_cast<uint32_t>(p.role.size()) - numImported;
  for (uint32_t d = 0; d < analysed; d++) {
    const uint32_t self = numImported + d;
    if (p.role[self] != Role::Plain) continue;  // instrumented or part of a runtime
    Function& fn = m.functions[d];
    FunctionCode code = readFunctionCode(m.bodyBytes(fn), fn.replaced ? 0 : fn.body.begin);
    CodePools pools;
    std::vector<Instr> in = decodeAll(code.code, code.codeOffset, pools);
    std::vector<Instr> out;
    out.reserve(in.size());
    bool any = false;
    for (const Instr& ins : in) {
      out.push_back(ins);
      bool checked = false;
      if (ins.op == Op::Call) checked = p.callPauses(ins.a);
      if (ins.op == Op::CallIndirect || ins.op == Op::CallRef) checked = true;
      if (!checked) continue;
      // global.get $state; if; unreachable; end
      Instr get;
      get.op = Op::GlobalGet;
      get.a = stateGlobal;
      Instr open;
      open.op = Op::If;
      Instr trap;
      trap.op = Op::Unreachable;
      Instr close;
      close.op = Op::End;
      out.insert(out.end(), {get, open, trap, close});
      any = true;
    }
    if (!any) continue;
    fn.replacement = encodeFunctionBody(code.locals, out, pools);
    fn.replaced = true;
    changed++;
  }
  if (changed) m.markChanged(SectionId::Code);
  return changed;
}

}  // namespace asyncify
