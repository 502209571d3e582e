#include "relay_policy.hpp"

#include <algorithm>

namespace made0::outbox::detail {

RowAction AfterPublish(const Status& result) {
  return result.ok() ? RowAction::kMarkPublished : RowAction::kRecordFailureAndStop;
}

std::chrono::milliseconds Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                  int failures, double unit_random) {
  using std::chrono::milliseconds;
  if (failures < 1) return milliseconds(0);
  // Double in a loop and stop at the cap, so a long outage cannot overflow.
  milliseconds d = std::min(initial, max);
  for (int i = 1; i < failures && d < max; ++i) d = std::min(d * 2, max);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  const auto half = d.count() / 2;
  return milliseconds(half + static_cast<long long>(r * static_cast<double>(d.count() - half)));
}

Wait NextWait(const RelayOptions& options, int& consecutive_failures, const BatchResult& round,
              double unit_random) {
  using std::chrono::milliseconds;
  if (round.publish_failed || round.db_failed) {
    ++consecutive_failures;
    return {
        Backoff(options.backoff_initial, options.backoff_max, consecutive_failures, unit_random),
        false};
  }
  consecutive_failures = 0;
  // A full batch suggests more rows are waiting: go again at once.
  if (round.claimed >= options.batch_size) return {std::chrono::milliseconds(0), true};
  // Waiting for a NOTIFY (or Wake). If this round had rows, events are arriving: the next round
  // lingers to gather the commits that follow its wake into one round. If it had none, the relay
  // was idle (no event since the last poll at least), and a lone event is published at once.
  return {options.poll_interval, true, round.claimed > 0 ? options.linger : milliseconds(0)};
}

bool CleanupDue(std::chrono::steady_clock::time_point now,
                std::optional<std::chrono::steady_clock::time_point> last,
                std::chrono::milliseconds interval) {
  return !last || now - *last >= interval;
}

}  // namespace made0::outbox::detail
