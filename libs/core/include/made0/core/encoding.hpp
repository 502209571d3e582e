#pragma once
// Byte encodings and digests used for tokens, IDs and hashes at rest.

#include <optional>
#include <string>
#include <string_view>

namespace made0 {

std::string HexEncode(std::string_view bytes);
// HexDecode accepts upper and lower case; nullopt on odd length or a non-hex digit.
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64UrlEncode(std::string_view bytes);  // no padding
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string Base64Encode(std::string_view bytes);  // standard alphabet, padded
std::optional<std::string> Base64Decode(std::string_view text);

// PercentEncode keeps RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) and writes every
// other byte as %XX in upper case: for URL path segments, query strings and AWS's canonical form.
std::string PercentEncode(std::string_view text);

// Sha256Hex returns the SHA-256 of data as 64 lowercase hex digits. Tokens are stored this way:
// a 256-bit random token needs no salt or slow hash.
std::string Sha256Hex(std::string_view data);

// ConstantTimeEquals compares without an early exit on the first difference.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace made0
