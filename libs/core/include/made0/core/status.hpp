#pragma once
// Expected outcomes as values (Abseil's Status/StatusOr, here a small Error and Result<T>).
//
//   Result<Cidr> ParseCidr(std::string_view s);
//   auto r = ParseCidr("10.0.0.0/8");
//   if (!r) return r.error();          // propagate
//   Use(*r);
//
// Error carries a code (mapped to an HTTP status at exactly one boundary, made0::http), a message
// for people, and optionally the name of the input field at fault.

#include <string>
#include <utility>
#include <variant>

namespace made0 {

// ErrorCode names the kind of failure; each maps to one HTTP status (see http::StatusFor).
enum class ErrorCode {
  kMalformed,         // 400: the request cannot be parsed
  kUnauthenticated,   // 401
  kPermissionDenied,  // 403
  kNotFound,          // 404
  kConflict,          // 409: conflict or stale version
  kGone,              // 410: existed but no longer usable (an expired link)
  kTooLarge,          // 413
  kInvalid,           // 422: parsed but a value is not acceptable
  kRateLimited,       // 429
  kInternal,          // 500
  kUnavailable,       // 503: a dependency is down
};

std::string_view ToString(ErrorCode code);

// Error is the failure half of a Result.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // empty when no single input field is at fault

  static Error Malformed(std::string msg, std::string field = {}) {
    return {ErrorCode::kMalformed, std::move(msg), std::move(field)};
  }
  static Error Invalid(std::string field, std::string msg) {
    return {ErrorCode::kInvalid, std::move(msg), std::move(field)};
  }
  static Error NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg), {}}; }
  static Error Conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg), {}}; }
  static Error Unavailable(std::string msg) {
    return {ErrorCode::kUnavailable, std::move(msg), {}};
  }
  static Error Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg), {}}; }
};

// Result<T> holds a T or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Status is a Result with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace made0

#include <stdexcept>

namespace made0 {

// UnavailableError is thrown by a store whose dependency (MongoDB, ...) cannot be reached, where
// returning a value through every call site would obscure the logic. The HTTP boundary
// (runtime::Guard) answers 503 for it, and consumers retry the message.
class UnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace made0
