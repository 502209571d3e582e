#pragma once
// How made0ctl shows a saga (GET /v1/sagas/{id}): its step history as a table for `describe`,
// one line per event for `logs` and `--wait`, each step's state as the events tell it, and the
// closing line once it has finished.
//
//   // +0s     saga_started
//   // +3ms    step_started                  cluster         attempt 1
//   // +15ms   step_succeeded                cluster         attempt 1   12ms
//   // +3.1s   step_failed                   runInstance     attempt 2   1.2s   az down
//   for (const auto* e : EventsAfter(saga, last_seq)) out << FormatEventLine(*e, SagaStart(saga));
//
// Pure: the saga's JSON and "now" are inputs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"
#include "made0/ctl/format.hpp"

namespace made0::ctl {

// IsTerminalStatus: completed, compensated and compensation_failed sagas do nothing more until
// someone retries them.
bool IsTerminalStatus(std::string_view status);

// ExitCodeForStatus is what `--wait` and `logs -f` exit with: 0 for completed, 1 otherwise.
int ExitCodeForStatus(std::string_view status);

// FormatDurationMs renders an event's duration_ms: "<1ms", "12ms", "1.5s"; "" when absent.
std::string FormatDurationMs(std::optional<double> ms);

// SagaStart is the origin of event offsets: the saga's created_at, else its first event's time.
std::optional<SystemTime> SagaStart(const nlohmann::json& saga);

// EventsAfter returns the events whose seq is greater than seq, oldest first.
std::vector<const nlohmann::json*> EventsAfter(const nlohmann::json& saga, long long seq);

// LastSeq is the largest seq among the saga's events, or after when there are none above it.
long long LastSeq(const nlohmann::json& saga, long long after);

// EventsTable: AT (offset from start), KIND, STEP, ATTEMPT, DURATION, ERROR, and DETAIL (wide).
Table EventsTable(const nlohmann::json& saga);

// FormatEventLine is one event on its own line, in fixed-width columns (for streaming).
std::string FormatEventLine(const nlohmann::json& event, std::optional<SystemTime> start);

// StepStates says for each of the saga's steps what its latest event makes it: "pending",
// "running", "succeeded", "failed", "retrying", "compensating", "compensated" or
// "compensation failed".
std::vector<std::string> StepStates(const nlohmann::json& saga);

// DescribeSaga renders the summary, the steps with their states, the input, the persisted data
// and the event history.
std::string DescribeSaga(const nlohmann::json& saga, SystemTime now, bool wide);

// FinishLine is the last line of `--wait` and `logs -f`: "saga-... completed in 4.2s
// (instanceId: i-...)", or the failure with its error (and, for compensation_failed, how to
// retry it).
std::string FinishLine(const nlohmann::json& saga);

}  // namespace made0::ctl
