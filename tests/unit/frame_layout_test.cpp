// Where chained save helpers put a frame's values: each helper pushes the values it hands to
// its tail first (below), then its own; the id goes with the innermost helper's values. Restore
// and unpack helpers that read a whole frame rely on these offsets.
#include <gtest/gtest.h>

#include "../../src/transform/frame_helpers.h"

namespace asyncify {
namespace {

FrameSignature kinds(std::initializer_list<ValType::Kind> k) {
  return {std::vector<ValType::Kind>(k)};
}

TEST(FrameLayout, UnchainedFrameIsInOrderWithTheIdLast) {
  const auto s = kinds({ValType::I64, ValType::F32, ValType::I32});
  EXPECT_EQ(chainedFrameOffsets(s, {}, true), (std::vector<uint32_t>{0, 8, 12, 16}));
  // A part (no id) of two i64 values.
  EXPECT_EQ(chainedFrameOffsets(kinds({ValType::I64, ValType::I64}), {}, false),
            (std::vector<uint32_t>{0, 8, 0}));
}

TEST(FrameLayout, ChainedTailsLieBelowTheValuesBeforeThem) {
  // Six i32 values saved by a helper that hands the last four to one that hands the last two on:
  // in the buffer, values 5 and 6 and the id, then 3 and 4, then 1 and 2.
  const FrameSignature s{std::vector<ValType::Kind>(6, ValType::I32)};
  EXPECT_EQ(chainedFrameOffsets(s, {4, 2}, true), (std::vector<uint32_t>{20, 24, 12, 16, 0, 4, 8}));
  // Without an id (a part), the same order, nothing between the segments.
  EXPECT_EQ(chainedFrameOffsets(s, {4, 2}, false), (std::vector<uint32_t>{16, 20, 8, 12, 0, 4, 0}));
}

TEST(FrameLayout, MixedKindsKeepTheirSizes) {
  // i64, f64 and three i32 values; the tail takes the three i32 values (and the id).
  const auto s = kinds({ValType::I64, ValType::F64, ValType::I32, ValType::I32, ValType::I32});
  EXPECT_EQ(chainedFrameOffsets(s, {3}, true), (std::vector<uint32_t>{16, 24, 0, 4, 8, 12}));
}

}  // namespace
}  // namespace asyncify
