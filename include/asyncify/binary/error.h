// The one error type of the library. Every failure (malformed input, unsupported feature,
// invalid module, bad option) is thrown as asyncify::Error; nothing else crosses the API.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace asyncify {

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, std::optional<uint64_t> offset = std::nullopt,
                 std::string feature = {})
      : std::runtime_error(message),
        message_(std::move(message)),
        offset_(offset),
        feature_(std::move(feature)) {}

  const std::string& message() const { return message_; }
  // Absolute byte offset in the input module, when the error concerns a place in it.
  std::optional<uint64_t> offset() const { return offset_; }
  // The proposal or feature involved (e.g. "simd", "exception-handling"), if any.
  const std::string& feature() const { return feature_; }

  // "message (at offset 0x1a2b) [feature: simd]"
  std::string describe() const;

 private:
  std::string message_;
  std::optional<uint64_t> offset_;
  std::string feature_;
};

}  // namespace asyncify
