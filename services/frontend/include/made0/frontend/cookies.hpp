#pragma once
// Cookies and CSRF rules of the console. Pure functions, tested from tables.
//
// The session lives in `made0_session`: HttpOnly (scripts cannot read it), SameSite=Lax (not
// sent on cross-site POSTs), Secure when the console is served over https. CSRF protection is the
// double-submit pattern on top of SameSite: a random `made0_csrf` cookie that the page's script
// reads and echoes in the X-CSRF-Token header of every state-changing request; a cross-site page
// can make the browser send the cookie but cannot read it to set the header.
//
//   resp.AddHeader("Set-Cookie", SetCookie(kSessionCookie, token, {.http_only = true,
//                                                                  .max_age = ttl}));
//   if (!CsrfAllows(req.method, req.Cookie(kCsrfCookie), req.Header("X-CSRF-Token"))) -> 403

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace made0::frontend {

inline constexpr const char* kSessionCookie = "made0_session";
inline constexpr const char* kCsrfCookie = "made0_csrf";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct CookieOptions {
  bool http_only = false;
  bool secure = false;
  // max_age: nullopt for a session cookie; zero deletes the cookie.
  std::optional<std::chrono::seconds> max_age;
};

// SetCookie renders a Set-Cookie value with Path=/ and SameSite=Lax.
std::string SetCookie(std::string_view name, std::string_view value, const CookieOptions& options);

// IsStateChanging is true for methods that must carry the CSRF token.
bool IsStateChanging(std::string_view method);

// CsrfAllows: safe methods always; state-changing ones only with a non-empty cookie equal to the
// header (compared in constant time).
bool CsrfAllows(std::string_view method, std::optional<std::string_view> cookie,
                std::optional<std::string_view> header);

// SameOrigin: a request whose Origin header is present must come from the console's own origin
// (scheme://host[:port] of the Host header). An absent Origin is allowed (same-origin GETs and
// older browsers); SameSite and the CSRF token still apply.
bool SameOrigin(std::optional<std::string_view> origin, std::optional<std::string_view> host);

}  // namespace made0::frontend
