#include "fault_injection.hpp"

namespace made0::infra {

Result<std::optional<CrashPoint>> ParseCrashPoint(std::string_view text) {
  if (text.empty()) return std::optional<CrashPoint>();
  const auto a = text.find(':');
  const auto b = a == std::string_view::npos ? a : text.find(':', a + 1);
  if (b == std::string_view::npos || a == 0 || b == a + 1) {
    return Error::Invalid("MADE0_INFRA_CRASH_AT", "expected <step>:<event kind>:<before|after>");
  }
  CrashPoint p{std::string(text.substr(0, a)), std::string(text.substr(a + 1, b - a - 1))};
  const std::string_view when = text.substr(b + 1);
  if (when == "before") {
    p.when = saga::WritePoint::kBefore;
  } else if (when == "after") {
    p.when = saga::WritePoint::kAfter;
  } else {
    return Error::Invalid("MADE0_INFRA_CRASH_AT", "the last part must be before or after");
  }
  return std::optional<CrashPoint>(std::move(p));
}

}  // namespace made0::infra
