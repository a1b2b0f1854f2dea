#include "code_emitter.h"

#include <algorithm>
#include <cstring>

#include "asyncify/analysis/control_structure.h"
#include "asyncify/binary/error.h"

namespace asyncify {

ConstExpr zeroConst(ValType t) {
  ConstExpr e;
  switch (t.kind) {
    case ValType::I64:
      e.bytes = {0x42, 0x00};
      break;
    case ValType::F32:
      e.bytes = {0x43, 0, 0, 0, 0};
      break;
    case ValType::F64:
      e.bytes = {0x44, 0, 0, 0, 0, 0, 0, 0, 0};
      break;
    case ValType::V128:
      e.bytes = {0xfd, 0x0c};
      e.bytes.resize(18, 0);
      break;
    default:
      e.bytes = {0x41, 0x00};
      break;
  }
  e.bytes.push_back(0x0b);
  return e;
}

CodeEmitter::CodeEmitter(const CodePools& inputPools, uint32_t firstFreshLabel)
    : input_(inputPools), nextLabel_(firstFreshLabel) {
  targetsBegin_.push_back(0);
}

void CodeEmitter::plain(const Instr& ins) {
  code_.push_back(ins);
  defines_.push_back(0);
  targetsBegin_.push_back(static_cast<uint32_t>(targets_.size()));
}

void CodeEmitter::copyFrom(const CodeEmitter& other, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    targets_.insert(targets_.end(), other.targets_.begin() + other.targetsBegin_[i],
                    other.targets_.begin() + other.targetsBegin_[i + 1]);
    code_.push_back(other.code_[i]);
    defines_.push_back(other.defines_[i]);
    targetsBegin_.push_back(static_cast<uint32_t>(targets_.size()));
  }
  nextLabel_ = std::max(nextLabel_, other.nextLabel_);
}

void CodeEmitter::dropOpener(size_t at) {
  const uint32_t label = defines_.at(at);
  if (label == 0 || !branchesTo(label).empty())
    throw Error("internal error: dropping a construct that a branch depends on");
  CodeEmitter kept(input_, nextLabel_);
  kept.copyFrom(*this, 0, at);
  kept.copyFrom(*this, at + 1, code_.size());
  code_ = std::move(kept.code_);
  defines_ = std::move(kept.defines_);
  targetsBegin_ = std::move(kept.targetsBegin_);
  targets_ = std::move(kept.targets_);
  blocksLeading_ = 0;
}

std::vector<size_t> CodeEmitter::branchesTo(uint32_t label) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < code_.size(); i++)
    for (uint32_t k = targetsBegin_[i]; k < targetsBegin_[i + 1]; k++)
      if (targets_[k] == label) {
        out.push_back(i);
        break;
      }
  return out;
}

void CodeEmitter::append(const CodeEmitter& other) {
  copyFrom(other, 0, other.code_.size());
}

void CodeEmitter::insert(size_t at, const CodeEmitter& other) {
  blocksLeading_ = std::min(blocksLeading_, at);
  CodeEmitter joined(input_, nextLabel_);
  joined.copyFrom(*this, 0, at);
  joined.copyFrom(other, 0, other.code_.size());
  joined.copyFrom(*this, at, code_.size());
  code_ = std::move(joined.code_);
  defines_ = std::move(joined.defines_);
  targetsBegin_ = std::move(joined.targetsBegin_);
  targets_ = std::move(joined.targets_);
  nextLabel_ = joined.nextLabel_;
}

void CodeEmitter::erase(std::span<const size_t> positions) {
  CodeEmitter kept(input_, nextLabel_);
  size_t from = 0;
  for (size_t at : positions) {
    if (defines_.at(at) != 0)
      throw Error("internal error: erasing an instruction that a label depends on");
    kept.copyFrom(*this, from, at);
    from = at + 1;
  }
  kept.copyFrom(*this, from, code_.size());
  code_ = std::move(kept.code_);
  defines_ = std::move(kept.defines_);
  targetsBegin_ = std::move(kept.targetsBegin_);
  targets_ = std::move(kept.targets_);
}

void CodeEmitter::open(const Instr& ins, uint32_t label) {
  plain(ins);
  defines_.back() = label;
}

void CodeEmitter::block(uint32_t label, BlockType type) {
  Instr ins = make(Op::Block);
  ins.block = type;
  open(ins, label);
}

void CodeEmitter::openTryTable(const Instr& ins, uint32_t label,
                               std::span<const uint32_t> catchTargets) {
  targets_.insert(targets_.end(), catchTargets.begin(), catchTargets.end());
  code_.push_back(ins);
  defines_.push_back(label);
  targetsBegin_.push_back(static_cast<uint32_t>(targets_.size()));
}

void CodeEmitter::branch(const Instr& ins, std::span<const uint32_t> targetLabels) {
  targets_.insert(targets_.end(), targetLabels.begin(), targetLabels.end());
  code_.push_back(ins);
  defines_.push_back(0);
  targetsBegin_.push_back(static_cast<uint32_t>(targets_.size()));
}

void CodeEmitter::brTable(std::span<const uint32_t> targetsThenDefault) {
  Instr ins = make(Op::BrTable);
  ins.b = static_cast<uint32_t>(targetsThenDefault.size() - 1);  // the default is not counted
  branch(ins, targetsThenDefault);
}

void CodeEmitter::i32Const(int32_t v) {
  Instr ins = make(Op::I32Const);
  ins.value = static_cast<uint64_t>(static_cast<int64_t>(v));
  plain(ins);
}

void CodeEmitter::i64Const(int64_t v) {
  Instr ins = make(Op::I64Const);
  ins.value = static_cast<uint64_t>(v);
  plain(ins);
}

void CodeEmitter::memoryOp(Op o, uint32_t memory, uint32_t alignLog2, uint64_t offset) {
  Instr ins = make(o);
  ins.a = memory;
  ins.b = alignLog2;
  ins.value = offset;
  plain(ins);
}

void CodeEmitter::zero(ValType t) {
  switch (t.kind) {
    case ValType::I32:
      i32Const(0);
      break;
    case ValType::I64:
      i64Const(0);
      break;
    case ValType::F32:
      plain(make(Op::F32Const));
      break;
    case ValType::F64:
      plain(make(Op::F64Const));
      break;
    case ValType::V128: {
      // v128 constants live in the pools: index past the copied input entries is resolved in
      // finish(); use a marker value that finish() recognises.
      Instr ins = make(Op::V128Const);
      ins.value = UINT64_MAX;
      plain(ins);
      break;
    }
    case ValType::Ref: {
      if (!t.nullable) throw Error("a non-nullable reference has no zero value");
      Instr ins = make(Op::RefNull);
      ins.type = t;
      plain(ins);
      break;
    }
    default:
      throw Error("internal error: no zero value for this type");
  }
}

std::vector<uint8_t> CodeEmitter::encodeBody(std::span<const ValType> locals) const {
  CodePools pools;
  const std::vector<Instr> code = finish(pools);
  return encodeFunctionBody(locals, code, pools);
}

std::vector<Instr> CodeEmitter::finish(CodePools& pools, bool functionHasResults) const {
  pools.clear();
  pools.v128 = input_.v128;
  pools.types = input_.types;
  std::vector<Instr> out;
  out.reserve(code_.size());
  std::vector<uint32_t> stack{kFunctionLabel};
  std::vector<uint32_t> position(nextLabel_, UINT32_MAX);
  position[kFunctionLabel] = 0;
  auto depthOf = [&](uint32_t label, uint64_t offset) -> uint32_t {
    if (label >= position.size() || position[label] == UINT32_MAX)
      throw Error("internal error: branch to a label that is not in scope", offset);
    return static_cast<uint32_t>(stack.size() - 1 - position[label]);
  };
  auto push = [&](uint32_t label) {
    position[label] = static_cast<uint32_t>(stack.size());
    stack.push_back(label);
  };
  auto pop = [&] {
    position[stack.back()] = UINT32_MAX;
    stack.pop_back();
  };

  // Rewrites that pieces of code emitted on their own leave to be made where they meet: code
  // after an unconditional branch up to the next construct start or arm end is dropped (the
  // stack there is polymorphic whether or not it runs, so what follows stays valid), a `drop`
  // before a `br` that takes no values goes (the branch discards the value anyway),
  // `local.set L; local.get L` becomes `local.tee L`, and then writes to locals that nothing
  // reads go.
  std::vector<uint8_t> takesNothing(nextLabel_, 0);
  takesNothing[kFunctionLabel] = !functionHasResults;
  bool dead = false;
  for (size_t i = 0; i < code_.size(); i++) {
    Instr ins = code_[i];
    if (dead && !isConstructStart(ins.op) && !endsArm(ins.op)) continue;
    dead = endsFlow(ins.op);
    if (ins.op == Op::LocalGet && !out.empty() && out.back().op == Op::LocalSet &&
        out.back().a == ins.a) {
      out.back().op = Op::LocalTee;
      continue;
    }
    const uint32_t* t = targets_.data() + targetsBegin_[i];
    const size_t nt = targetsBegin_[i + 1] - targetsBegin_[i];
    switch (ins.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
      case Op::Try:
        push(defines_[i]);
        takesNothing[defines_[i]] = ins.block.kind == BlockType::Empty ||
                                    (ins.op == Op::Loop && ins.block.kind == BlockType::Value);
        break;
      case Op::TryTable: {
        uint32_t first = static_cast<uint32_t>(pools.catches.size());
        for (size_t k = 0; k < nt; k++) {
          CatchClause c = input_.catches[ins.value + k];
          c.label = depthOf(t[k], ins.offset);
          pools.catches.push_back(c);
        }
        ins.value = first;
        ins.b = static_cast<uint32_t>(nt);
        push(defines_[i]);
        break;
      }
      case Op::End:
        if (stack.size() > 1) pop();
        break;
      case Op::Delegate:
        pop();
        ins.a = depthOf(t[0], ins.offset);
        break;
      case Op::Br:
      case Op::Return:
        if (!out.empty() && out.back().op == Op::Drop &&
            takesNothing[ins.op == Op::Return ? kFunctionLabel : t[0]])
          out.pop_back();
        if (ins.op == Op::Br) ins.a = depthOf(t[0], ins.offset);
        break;
      case Op::BrIf:
      case Op::BrOnNull:
      case Op::BrOnNonNull:
      case Op::BrOnCast:
      case Op::BrOnCastFail:
      case Op::Rethrow:
        ins.a = depthOf(t[0], ins.offset);
        break;
      case Op::BrTable: {
        uint32_t first = static_cast<uint32_t>(pools.labels.size());
        for (size_t k = 0; k < nt; k++) pools.labels.push_back(depthOf(t[k], ins.offset));
        ins.value = first;
        ins.b = static_cast<uint32_t>(nt - 1);
        break;
      }
      case Op::V128Const:
        if (ins.value == UINT64_MAX) {
          ins.value = pools.v128.size();
          pools.v128.push_back({});
        }
        break;
      default:
        break;
    }
    out.push_back(ins);
  }
  // A local that nothing reads needs no writes: `local.tee` goes, `local.set` becomes `drop`.
  std::vector<bool> read;
  for (const Instr& ins : out)
    if (ins.op == Op::LocalGet) {
      if (ins.a >= read.size()) read.resize(ins.a + 1, false);
      read[ins.a] = true;
    }
  std::erase_if(out, [&](const Instr& ins) {
    return ins.op == Op::LocalTee && (ins.a >= read.size() || !read[ins.a]);
  });
  for (Instr& ins : out)
    if (ins.op == Op::LocalSet && (ins.a >= read.size() || !read[ins.a])) ins = make(Op::Drop);
  return out;
}

}  // namespace asyncify
