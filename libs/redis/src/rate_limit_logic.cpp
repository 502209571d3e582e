#include "rate_limit_logic.hpp"

#include <algorithm>

#include "made0/core/encoding.hpp"

namespace made0::redis::internal {

Status ValidateWindows(const std::vector<Window>& windows) {
  using std::chrono::milliseconds;
  if (windows.empty()) return Error::Invalid("windows", "at least one window is required");
  if (windows.size() > 16) return Error::Invalid("windows", "at most 16 windows");
  for (const Window& w : windows) {
    if (w.limit < 1 || w.limit > 10'000) {
      return Error::Invalid("windows", "window limit must be 1-10000");
    }
    if (w.period < milliseconds(1) || w.period > milliseconds(30LL * 24 * 3600 * 1000)) {
      return Error::Invalid("windows", "window period must be 1ms to 30 days");
    }
  }
  return Status::Ok();
}

std::string RateLimitKey(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + "rl:" + Sha256Hex(key);
}

RateDecision DecideRate(const std::vector<long long>& accepted_ms,
                        const std::vector<Window>& windows, long long now_ms) {
  std::vector<long long> sorted = accepted_ms;
  std::sort(sorted.begin(), sorted.end());
  long long wait = 0;
  for (const Window& w : windows) {
    const long long period = w.period.count();
    // Attempts still inside the window, oldest first.
    auto first = std::upper_bound(sorted.begin(), sorted.end(), now_ms - period);
    const long long count = sorted.end() - first;
    if (count >= w.limit) wait = std::max(wait, *(first + (count - w.limit)) + period - now_ms);
  }
  if (wait > 0) return {false, std::chrono::milliseconds(wait)};
  return {true, std::chrono::milliseconds(0)};
}

std::vector<std::string> RateScriptArgs(long long now_ms, const std::string& member,
                                        const std::vector<Window>& windows) {
  std::vector<std::string> args = {std::to_string(now_ms), member, std::to_string(windows.size())};
  for (const Window& w : windows) {
    args.push_back(std::to_string(w.limit));
    args.push_back(std::to_string(w.period.count()));
  }
  return args;
}

Result<RateDecision> ParseRateReply(const Reply& reply) {
  const auto& e = reply.elements();
  if (reply.type() != ReplyType::kArray || e.size() != 2 || !e[0].AsInteger() ||
      !e[1].AsInteger()) {
    return Error::Internal("rate limiter: unexpected script reply " + reply.DebugString());
  }
  RateDecision d;
  d.allowed = *e[0].AsInteger() == 1;
  d.retry_after = std::chrono::milliseconds(d.allowed ? 0 : *e[1].AsInteger());
  return d;
}

}  // namespace made0::redis::internal
