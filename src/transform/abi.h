// The Asyncify ABI, defined once: export and global names, state values, data layout.
#pragma once

#include <cstdint>
#include <string_view>

namespace asyncify::abi {

constexpr int32_t kStateNormal = 0;
constexpr int32_t kStateUnwinding = 1;
constexpr int32_t kStateRewinding = 2;

constexpr std::string_view kStartUnwind = "asyncify_start_unwind";
constexpr std::string_view kStopUnwind = "asyncify_stop_unwind";
constexpr std::string_view kStartRewind = "asyncify_start_rewind";
constexpr std::string_view kStopRewind = "asyncify_stop_rewind";
constexpr std::string_view kGetState = "asyncify_get_state";

constexpr std::string_view kStateGlobal = "__asyncify_state";
constexpr std::string_view kDataGlobal = "__asyncify_data";
constexpr std::string_view kGlobalsModule = "env";
// The export name of the memory added by --secondary-memory, so runtimes can reach it.
constexpr std::string_view kSecondaryMemoryExport = "asyncify_memory";

// The data structure: [current, end], pointer-sized fields.
constexpr uint32_t currentOffset(bool /*memory64*/) {
  return 0;
}
constexpr uint32_t endOffset(bool memory64) {
  return memory64 ? 8 : 4;
}

}  // namespace asyncify::abi
