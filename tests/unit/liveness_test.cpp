// The liveness analysis and the control structure it stands on, on hand-encoded bodies: what is
// live at a point inside nested try bodies (handlers of every enclosing try count), handlers
// that branch out of the function, many points in one basic block, and the limit that turns
// work growing with locals times blocks into a clean error.
#include "asyncify/analysis/liveness.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "asyncify/analysis/control_structure.h"
#include "asyncify/binary/error.h"
#include "asyncify/binary/instr.h"
#include "wasm_builder.h"

namespace asyncify {
namespace {

using test::Bytes;
using test::cat;

struct Body {
  CodePools pools;
  std::vector<Instr> code;
  ControlStructure cs;
};

// Decodes an expression (the function's final `end` included).
Body decode(const Bytes& expr) {
  Body b;
  b.code = decodeAll(expr, 0, b.pools);
  b.cs = analyzeControl(b.code, b.pools);
  return b;
}

// Index of the n-th (0-based) instruction with this opcode.
uint32_t nth(const Body& b, Op op, int n = 0) {
  for (uint32_t i = 0; i < b.code.size(); i++)
    if (b.code[i].op == op && n-- == 0) return i;
  ADD_FAILURE() << "no such instruction";
  return 0;
}

const Bytes kCall = {0x10, 0x00};
Bytes get(uint32_t l) {
  return {0x20, static_cast<uint8_t>(l)};
}
Bytes set(uint32_t l) {
  return {0x21, static_cast<uint8_t>(l)};
}
const Bytes kZero = {0x41, 0x00};
const Bytes kDrop = {0x1a};

TEST(Liveness, AHandlerOfAnOuterTryKeepsItsReadsLiveInAnInnerTryBody) {
  // try (outer) { try (inner) { call } catch_all { get 1 } } catch_all { get 0 }; get 2
  Body b = decode(cat({{0x06, 0x40},
                       {0x06, 0x40},
                       kCall,
                       {0x19},
                       get(1),
                       kDrop,
                       {0x0b},
                       {0x19},
                       get(0),
                       kDrop,
                       {0x0b},
                       get(2),
                       kDrop,
                       {0x0b}}));
  const std::vector<uint32_t> points = {nth(b, Op::Call)};
  EXPECT_EQ(liveAtPoints(b.code, b.pools, b.cs, 3, points).locals,
            (std::vector<uint32_t>{0, 1, 2}));
}

TEST(Liveness, AfterItsTryBodyAHandlerNoLongerCounts) {
  // try { nop } catch_all { get 0 } end; call; get 1
  Body b =
      decode(cat({{0x06, 0x40, 0x01, 0x19}, get(0), kDrop, {0x0b}, kCall, get(1), kDrop, {0x0b}}));
  const std::vector<uint32_t> points = {nth(b, Op::Call)};
  EXPECT_EQ(liveAtPoints(b.code, b.pools, b.cs, 2, points).locals, (std::vector<uint32_t>{1}));
}

TEST(Liveness, ATryTableHandlerThatLeavesTheFunctionReadsNothing) {
  // try_table (catch_all 0: the function's label, catch labels count from outside the
  // try_table) { call }; get 0. A handler that branches out of the function has no block.
  Body b = decode(cat({{0x1f, 0x40, 0x01, 0x02, 0x00}, kCall, {0x0b}, get(0), kDrop, {0x0b}}));
  const std::vector<uint32_t> points = {nth(b, Op::Call)};
  EXPECT_EQ(liveAtPoints(b.code, b.pools, b.cs, 1, points).locals, (std::vector<uint32_t>{0}));
}

TEST(Liveness, PointsInOneBlockEachSeeTheWritesAfterThem) {
  // call A; get 2; set 0; call B; get 0; set 1; get 1 (one basic block). Live at A: 2 (0 is
  // written before it is read); at B: 0 (1 is written before it is read).
  Body b = decode(cat({kCall,
                       get(2),
                       kDrop,
                       kZero,
                       set(0),
                       kCall,
                       get(0),
                       kDrop,
                       kZero,
                       set(1),
                       get(1),
                       kDrop,
                       {0x0b}}));
  const uint32_t callA = nth(b, Op::Call, 0), callB = nth(b, Op::Call, 1);
  EXPECT_EQ(liveAtPoints(b.code, b.pools, b.cs, 3, std::vector<uint32_t>{callA}).locals,
            (std::vector<uint32_t>{2}));
  EXPECT_EQ(liveAtPoints(b.code, b.pools, b.cs, 3, std::vector<uint32_t>{callB}).locals,
            (std::vector<uint32_t>{0}));
  // Given out of order and twice, met in one walk: their union, still without local 1, and one
  // live local counted per point.
  const LiveAtPoints all =
      liveAtPoints(b.code, b.pools, b.cs, 3, std::vector<uint32_t>{callB, callA, callB});
  EXPECT_EQ(all.locals, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(all.total, 3u);
}

TEST(Liveness, TooManyLocalsTimesBlocksIsAnError) {
  Body b = decode({0x0b});  // one basic block: the final end
  const std::vector<uint32_t> points = {0};
  LivenessLimits limits;
  limits.maxLocalsTimesBlocks = 100;
  EXPECT_NO_THROW(liveAtPoints(b.code, b.pools, b.cs, 100, points, limits));
  EXPECT_THROW(liveAtPoints(b.code, b.pools, b.cs, 101, points, limits), Error);
}

TEST(ControlStructure, LoopOfNamesTheInnermostEnclosingLoop) {
  // loop A { block { loop B { call } } call }; call
  Body b = decode(cat(
      {{0x03, 0x40, 0x02, 0x40, 0x03, 0x40}, kCall, {0x0b, 0x0b}, kCall, {0x0b}, kCall, {0x0b}}));
  const uint32_t outer = nth(b, Op::Loop, 0), inner = nth(b, Op::Loop, 1);
  EXPECT_EQ(b.cs.loopOf[nth(b, Op::Call, 0)], inner);
  EXPECT_EQ(b.cs.loopOf[inner], outer);  // a loop's own start is inside the loop around it
  EXPECT_EQ(b.cs.loopOf[nth(b, Op::Block)], outer);
  EXPECT_EQ(b.cs.loopOf[nth(b, Op::Call, 1)], outer);
  EXPECT_EQ(b.cs.loopOf[nth(b, Op::Call, 2)], ControlStructure::kNone);
  EXPECT_EQ(b.cs.loopOf[outer], ControlStructure::kNone);
}

TEST(ControlStructure, TryOfCoversTheBodyAndTheHandlers) {
  // try { call } catch_all { call }; call
  Body b = decode(cat({{0x06, 0x40}, kCall, {0x19}, kCall, {0x0b}, kCall, {0x0b}}));
  const uint32_t t = nth(b, Op::Try);
  EXPECT_EQ(b.cs.tryOf[nth(b, Op::Call, 0)], t);
  EXPECT_EQ(b.cs.tryOf[nth(b, Op::Call, 1)], t);
  EXPECT_EQ(b.cs.tryOf[nth(b, Op::Call, 2)], ControlStructure::kNone);
  EXPECT_EQ(b.cs.tryOf[t], ControlStructure::kNone);
}

}  // namespace
}  // namespace asyncify
