// Keeping reference values while a stack is unwound.
//
// References have no representation in linear memory, so a frame cannot hold them. Instead a
// reference live across a pause is parked in a private table (one per reference type) and the
// frame holds its slot number. Slots are taken first-fit above a low-water mark and given back
// on rewind, so stacks that unwind and rewind in any interleaving (coroutines with separate
// buffers) never share a slot. Null is never parked: it is slot -1.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "asyncify/binary/module.h"

namespace asyncify {

// Call immediates in [kParkPlaceholder, kHelperPlaceholder) name a parking function until
// they are resolved: kParkPlaceholder + 2 * k parks (ref -> i32) and + 1 unparks (i32 -> ref)
// values of the function's k-th parked type.
constexpr uint32_t kParkPlaceholder = 0xE0000000u;

struct ParkingFunctions {
  uint32_t park = 0;    // (ref null T) -> i32
  uint32_t unpark = 0;  // i32 -> (ref null T)
};

class RefParking {
 public:
  explicit RefParking(Module& m) : m_(m) {}
  // The functions for values of `type` (nullable or not), with their table, added on first use.
  ParkingFunctions functionsFor(ValType type);

 private:
  Module& m_;
  std::map<std::string, ParkingFunctions> byType_;
};

}  // namespace asyncify
