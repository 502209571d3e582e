#include "made0/frontend/cookies.hpp"

#include "made0/core/encoding.hpp"

namespace made0::frontend {

std::string SetCookie(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string out;
  out.append(name).append("=").append(value).append("; Path=/; SameSite=Lax");
  if (o.max_age) out += "; Max-Age=" + std::to_string(o.max_age->count());
  if (o.http_only) out += "; HttpOnly";
  if (o.secure) out += "; Secure";
  return out;
}

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool CsrfAllows(std::string_view method, std::optional<std::string_view> cookie,
                std::optional<std::string_view> header) {
  if (!IsStateChanging(method)) return true;
  if (!cookie || !header || cookie->empty()) return false;
  return ConstantTimeEquals(*cookie, *header);
}

bool SameOrigin(std::optional<std::string_view> origin, std::optional<std::string_view> host) {
  if (!origin) return true;
  if (!host) return false;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin->substr(0, scheme.size()) == scheme && origin->substr(scheme.size()) == *host) {
      return true;
    }
  }
  return false;
}

}  // namespace made0::frontend
