#pragma once
// The relay's decisions, free of I/O so a table of cases can test them: what to do after a
// publish result, how long to wait before the next round, whether cleanup is due.

#include <chrono>
#include <optional>

#include "made0/core/status.hpp"
#include "made0/outbox/relay.hpp"

namespace made0::outbox::detail {

enum class RowAction {
  kMarkPublished,         // confirmed: mark it in this round's transaction, go on to the next row
  kRecordFailureAndStop,  // keep it unpublished, record the error, end the round
};
RowAction AfterPublish(const Status& result);

struct Wait {
  std::chrono::milliseconds duration{0};
  bool wake_on_notify = false;  // false while backing off: commits must not hammer a down broker
  std::chrono::milliseconds linger{0};  // after a wake by NOTIFY, before the next round
};

// NextWait decides the pause after a round and updates the count of consecutive failed rounds.
// unit_random in [0, 1) is the jitter.
Wait NextWait(const RelayOptions& options, int& consecutive_failures, const BatchResult& round,
              double unit_random);

// Backoff is initial * 2^(failures-1), capped at max, then jittered into [d/2, d) so that relays
// that failed together do not retry together.
std::chrono::milliseconds Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                  int failures, double unit_random);

// CleanupDue is true on the first round and then once per interval.
bool CleanupDue(std::chrono::steady_clock::time_point now,
                std::optional<std::chrono::steady_clock::time_point> last,
                std::chrono::milliseconds interval);

}  // namespace made0::outbox::detail
