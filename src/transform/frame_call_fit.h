// Fitting a frame's helper calls to the helpers planHelpers chose, once the function's code is
// decoded again with the helpers' indices.
//
// The instrumenter saves a frame's i32 values with the id by one call and restores them by one
// call (see FunctionInstrumentation::i32GroupCalls). The plan may pad them (zeros pushed before
// the save, dropped once the restore's id is taken) and may give the lowest of them to
// secondary helpers: a run of s + 1 values goes to the helper of size s, its first value in the
// id's slot. Saving, each secondary's call follows its run's last push (the run is then off the
// stack, and the id below it is left to the call that saves the rest); restoring, the primary
// call comes first, as the frames are popped in reverse, then each secondary's, after which the
// run's first value sits on top: its restore moves ahead of the others'.
//
// A part (one kind's values, no id) may likewise be saved by several calls, each taking a run
// of exactly its size: the call after each run's last push, and when restoring, the next lower
// run's call after the restores of the values above it. Its f64 values may go through i64
// helpers: each reinterpreted after its push, and before its restore.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "asyncify/binary/instr.h"

namespace asyncify {

// A save or restore call of a frame's i32 values, at `at` in the code.
struct I32GroupCall {
  size_t at = 0;
  bool save = false;
  size_t values = 0;  // before padding
};

struct SecondaryHelper {
  size_t size = 0;
  uint32_t save = 0;     // function index
  uint32_t restore = 0;  // function index
};

// A save or restore call of a part whose lowest values go to calls of their own: `runs`, bottom
// first, each the number of values and the helper (save or restore alike) that takes them.
struct PartCall {
  size_t at = 0;
  bool save = false;
  size_t values = 0;  // all of them
  std::vector<std::pair<size_t, uint32_t>> runs;
  bool f64AsI64 = false;  // f64 values through i64 helpers: each reinterpreted
};

// Returns the code with the frame's padding, secondaries and part runs in, without the calls
// `removed` says go. `newLocal()` declares an i32 local (to hold the id while padding is
// dropped from below it). Throws asyncify::Error if the code around a call is not what the
// instrumenter emits (an internal error).
std::vector<Instr> fitFrameCalls(const std::vector<Instr>& code,
                                 const std::vector<I32GroupCall>& calls, uint32_t padding,
                                 const std::vector<SecondaryHelper>& secondaries,
                                 const std::vector<PartCall>& parts,
                                 const std::function<uint32_t()>& newLocal,
                                 const std::function<bool(const Instr&)>& removed);

}  // namespace asyncify
