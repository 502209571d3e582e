#include "made0/identity/validation.hpp"

#include <algorithm>
#include <cctype>

namespace made0::identity {
namespace {

bool IsLocalChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

bool IsValidDomain(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= d.size()) {
    std::size_t dot = d.find('.', start);
    if (dot == std::string_view::npos) dot = d.size();
    const std::string_view label = d.substr(start, dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label) {
      if (!std::isalnum(c) && c != '-') return false;
    }
    ++labels;
    start = dot + 1;
    if (dot == d.size()) break;
  }
  return labels >= 2;
}

}  // namespace

long Utf8Length(std::string_view s) {
  long n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return -1;
    }
    if (len == 2 && c < 0xc2) return -1;  // overlong
    i += len;
    ++n;
  }
  return n;
}

Result<std::string> NormalizeEmail(std::string_view in) {
  while (!in.empty() && std::isspace(static_cast<unsigned char>(in.front()))) in.remove_prefix(1);
  while (!in.empty() && std::isspace(static_cast<unsigned char>(in.back()))) in.remove_suffix(1);
  if (in.empty()) return Error::Invalid("email", "email is required");
  if (in.size() > kMaxEmailLength) {
    return Error::Invalid("email", "email must be at most 254 characters");
  }
  std::string email(in);
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos) {
    return Error::Invalid("email", "email must look like name@example.com");
  }
  const std::string_view local = std::string_view(email).substr(0, at);
  const std::string_view domain = std::string_view(email).substr(at + 1);
  const bool local_ok = !local.empty() && local.size() <= 64 && local.front() != '.' &&
                        local.back() != '.' && local.find("..") == std::string_view::npos &&
                        std::all_of(local.begin(), local.end(), [](char c) {
                          return IsLocalChar(static_cast<unsigned char>(c));
                        });
  if (!local_ok || !IsValidDomain(domain)) {
    return Error::Invalid("email", "email must look like name@example.com");
  }
  return email;
}

Status ValidatePassword(std::string_view password) {
  const long n = Utf8Length(password);
  if (n < 0) return Error::Invalid("password", "password must be valid UTF-8 text");
  if (std::any_of(password.begin(), password.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return Error::Invalid("password", "password must not contain control characters");
  }
  if (static_cast<std::size_t>(n) < kMinPasswordLength) {
    return Error::Invalid("password", "password must be at least 8 characters");
  }
  if (static_cast<std::size_t>(n) > kMaxPasswordLength) {
    return Error::Invalid("password", "password must be at most 128 characters");
  }
  return Status::Ok();
}

}  // namespace made0::identity
