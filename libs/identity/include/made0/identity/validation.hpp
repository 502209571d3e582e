#pragma once
// Validation of sign-up and login input. Pure functions; each failure is an Invalid error that
// names the field, so the console can show the message beside it.
//
//   auto email = NormalizeEmail(body["email"]);     // "  Ann@Example.TEST " -> "ann@example.test"
//   if (!email) return Response::Error(email.error());

#include <string>
#include <string_view>

#include "made0/core/status.hpp"

namespace made0::identity {

inline constexpr std::size_t kMaxEmailLength = 254;     // RFC 5321 path limit
inline constexpr std::size_t kMinPasswordLength = 8;    // characters (code points)
inline constexpr std::size_t kMaxPasswordLength = 128;  // bounds the work of hashing

// NormalizeEmail trims surrounding white space, lower-cases, and checks the shape
// local@domain.tld (no spaces or control characters, local part <= 64 octets, domain labels of
// letters, digits and hyphens). It is deliberately not a full RFC 5322 parser: the mail itself
// is the real test of an address.
Result<std::string> NormalizeEmail(std::string_view input);

// ValidatePassword checks length in code points (8..128) and that the text is valid UTF-8 without
// control characters.
Status ValidatePassword(std::string_view password);

// Utf8Length counts code points, or returns -1 for invalid UTF-8.
long Utf8Length(std::string_view text);

}  // namespace made0::identity
