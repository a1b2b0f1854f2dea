// Operand and control stack operations of the validation algorithm.
#include "control_frames.h"

#include "asyncify/binary/error.h"

namespace asyncify::validate {

void BodyStack::reset(std::span<const ValType> params, std::span<const ValType> locals,
                      std::span<const ValType> results) {
  vals_.clear();
  ctrls_.clear();
  initLog_.clear();
  locals_.assign(params.begin(), params.end());
  locals_.insert(locals_.end(), locals.begin(), locals.end());
  initialized_.assign(locals_.size(), 1);
  for (size_t i = params.size(); i < locals_.size(); ++i)
    if (!TypeContext::defaultable(locals_[i])) initialized_[i] = 0;
  cur_ = nullptr;
  curIndex_ = 0;
  Frame f;
  f.kind = FrameKind::Function;
  f.results = results.data();
  f.resultCount = static_cast<uint32_t>(results.size());
  ctrls_.push_back(f);
}

std::string BodyStack::opName() const {
  return cur_ ? std::string(cur_->info().text) : std::string("function body");
}

void BodyStack::fail(const std::string& what) const {
  if (!cur_) throw Error(what);  // before the first instruction: the caller locates it
  uint64_t offset = cur_->offset;
  // Code built in memory has no offsets: name the instruction's position instead.
  if (offset == 0) throw Error(what + " (instruction " + std::to_string(curIndex_) + ")");
  throw Error(what, offset);
}

void BodyStack::failOp(const std::string& what) const {
  fail(what + " in " + opName());
}

void BodyStack::mismatch(ValType expected, ValType actual) const {
  fail("type mismatch in " + opName() + ": expected " + typeName(expected) + ", got " +
       typeName(actual));
}

void BodyStack::underflow(ValType expected) const {
  fail("type mismatch in " + opName() + ": expected " + typeName(expected) +
       ", but the stack is empty");
}

ValType BodyStack::pop() {
  const Frame& f = ctrls_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return ValType::bottom();
    fail("stack underflow in " + opName() + ": expected a value, but the stack is empty");
  }
  ValType t = vals_.back();
  vals_.pop_back();
  return t;
}

ValType BodyStack::pop(ValType expected) {
  const Frame& f = ctrls_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return ValType::bottom();
    underflow(expected);
  }
  ValType actual = vals_.back();
  // The common case (numeric operands of the expected kind) takes no call.
  if (actual.kind != expected.kind || actual.kind == ValType::Ref) {
    if (!types_.matches(actual, expected)) mismatch(expected, actual);
  }
  vals_.pop_back();
  return actual;
}

ValType BodyStack::popRef() {
  ValType t = pop();
  if (t.kind == ValType::Bottom) return ValType::ref(HeapType{kBottomHeap}, false);
  if (t.kind != ValType::Ref)
    fail("type mismatch in " + opName() + ": expected a reference, got " + typeName(t));
  return t;
}

void BodyStack::popAll(std::span<const ValType> types) {
  for (size_t i = types.size(); i-- > 0;) pop(types[i]);
}

void BodyStack::peekAll(std::span<const ValType> types) const {
  const Frame& f = ctrls_.back();
  size_t avail = vals_.size() - f.height;
  size_t n = types.size();
  for (size_t i = 0; i < n; ++i) {
    size_t fromTop = n - i;  // 1-based distance from the top of the stack
    if (fromTop > avail) {
      if (f.unreachable) continue;
      fail("type mismatch in " + opName() + ": expected " + typeListName(types) + ", but only " +
           std::to_string(avail) + " value(s) on the stack");
    }
    ValType actual = vals_[vals_.size() - fromTop];
    if (!types_.matches(actual, types[i])) mismatch(types[i], actual);
  }
}

void BodyStack::retype(std::span<const ValType> types) {
  peekAll(types);
  const Frame& f = ctrls_.back();
  size_t avail = vals_.size() - f.height;
  size_t n = types.size();
  vals_.resize(vals_.size() - (n < avail ? n : avail));
  pushAll(types);
}

void BodyStack::markUnreachable() {
  Frame& f = ctrls_.back();
  vals_.resize(f.height);
  f.unreachable = true;
}

void BodyStack::pushFrame(FrameKind kind, const BlockSig& sig, bool popParams) {
  // The block's parameters are popped from the enclosing frame and pushed as the new frame's
  // first values, with their declared types.
  if (popParams)
    retype(sig.params);
  else
    pushAll(sig.params);
  Frame f;
  f.kind = kind;
  f.height = static_cast<uint32_t>(vals_.size() - sig.params.size());
  f.initHeight = static_cast<uint32_t>(initLog_.size());
  f.params = sig.params.data();
  f.paramCount = static_cast<uint32_t>(sig.params.size());
  if (sig.single) {
    f.singleResult = true;
    f.single = sig.singleType;
  } else {
    f.results = sig.results.data();
    f.resultCount = static_cast<uint32_t>(sig.results.size());
  }
  ctrls_.push_back(f);
}

Frame BodyStack::popFrame() {
  const Frame& f = ctrls_.back();
  auto results = f.resultTypes();
  peekAll(results);
  size_t have = vals_.size() - f.height;
  if (have > results.size())
    fail("type mismatch in " + opName() + ": expected " + typeListName(results) +
         " at the end of the block, but " + std::to_string(have - results.size()) +
         " extra value(s) remain");
  Frame popped = f;
  vals_.resize(f.height);
  while (initLog_.size() > f.initHeight) {
    initialized_[initLog_.back()] = 0;
    initLog_.pop_back();
  }
  ctrls_.pop_back();
  return popped;
}

Frame& BodyStack::frame(uint32_t label) {
  if (label >= ctrls_.size())
    fail(opName() + " depth " + std::to_string(label) + " out of range (" +
         std::to_string(ctrls_.size()) + " enclosing block(s))");
  return ctrls_[ctrls_.size() - 1 - label];
}

ValType BodyStack::local(uint32_t index) const {
  if (index >= locals_.size())
    fail(opName() + ": local index " + std::to_string(index) + " out of range (" +
         std::to_string(locals_.size()) + " local(s))");
  return locals_[index];
}

void BodyStack::checkInitialized(uint32_t index) const {
  if (!initialized_[index])
    fail(opName() + ": non-defaultable local " + std::to_string(index) +
         " is read before it is set");
}

}  // namespace asyncify::validate
