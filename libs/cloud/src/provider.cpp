#include "made0/cloud/provider.hpp"

#include <array>
#include <utility>

namespace made0::cloud {
namespace {
constexpr std::array<std::pair<InstanceState, std::string_view>, 6> kStates{{
    {InstanceState::kPending, "pending"},
    {InstanceState::kRunning, "running"},
    {InstanceState::kStopping, "stopping"},
    {InstanceState::kStopped, "stopped"},
    {InstanceState::kShuttingDown, "shutting-down"},
    {InstanceState::kTerminated, "terminated"},
}};
}  // namespace

std::string_view ToString(InstanceState s) {
  for (const auto& [state, text] : kStates) {
    if (state == s) return text;
  }
  return "unknown";
}

std::optional<InstanceState> ParseInstanceState(std::string_view s) {
  for (const auto& [state, text] : kStates) {
    if (text == s) return state;
  }
  return std::nullopt;
}

}  // namespace made0::cloud
