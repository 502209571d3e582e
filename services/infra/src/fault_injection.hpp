#pragma once
// Fault injection for crash tests: MADE0_INFRA_CRASH_AT=<step>:<event kind>:<before|after> makes
// the infra process SIGKILL itself when the saga engine is about to write (before) or has just
// written (after) that transition, e.g. runInstance:step_succeeded:before — the instance exists
// at the provider but its ID is not recorded yet. <step> may be * for any step.

#include <optional>
#include <string>
#include <string_view>

#include "made0/core/status.hpp"
#include "made0/saga/engine.hpp"

namespace made0::infra {

struct CrashPoint {
  std::string step;
  std::string kind;
  saga::WritePoint when = saga::WritePoint::kBefore;

  bool Matches(saga::WritePoint at, std::string_view step_name, std::string_view kind_name) const {
    return at == when && (step == "*" || step == step_name) && kind == kind_name;
  }
};

// ParseCrashPoint: nullopt for an empty value; Invalid (naming the variable) when malformed.
Result<std::optional<CrashPoint>> ParseCrashPoint(std::string_view text);

}  // namespace made0::infra
