#pragma once
// The life of a local instance as a pure state machine (in the spirit of userver's
// shard_subscription_fsm): Decide(state, event) says the next state, the signal to send to the
// instance's process and why, and the caller (LocalCloud) performs it. Tested from a table.
//
//   pending --spawned--> pending --endpoints ready--> running
//   pending|running --terminate--> shutting-down (SIGTERM) --grace expired--> (SIGKILL)
//   shutting-down --process gone--> terminated
//   pending|running --process gone--> terminated ("Server.ProcessExited")
//   any live state --kill injected | AZ down--> terminated (SIGKILL)
//   pending --start timed out--> terminated (SIGKILL)
//
// Terminating uses EC2's "shutting-down" (cloud::InstanceState::kShuttingDown), as the aws provider
// reports it, so callers see one vocabulary whichever provider runs their instances.

#include <string>
#include <string_view>

#include "made0/cloud/provider.hpp"

namespace made0::hostd {

enum class Event {
  kSpawned,             // the process was started (its PID recorded)
  kEndpointsReady,      // every endpoint accepts a TCP connection
  kProcessGone,         // the process no longer exists, or is a zombie
  kTerminateRequested,  // TerminateInstance
  kGraceExpired,        // SIGTERM was sent longer than the grace period ago
  kStartTimedOut,       // the endpoints did not open within the start timeout
  kKillInjected,        // failure injection: kill the instance
  kAzDown,              // failure injection: the instance's availability zone went down
};

std::string_view ToString(Event e);

enum class Signal { kNone, kTerm, kKill };

// State reasons, EC2-style "<Code>: <message>".
inline constexpr std::string_view kReasonUserShutdown =
    "Client.UserInitiatedShutdown: User initiated shutdown";
inline constexpr std::string_view kReasonProcessExited =
    "Server.ProcessExited: the instance's process exited on its own";
inline constexpr std::string_view kReasonKilled =
    "Server.InjectedFailure: the instance was killed (SIGKILL) by failure injection";
inline constexpr std::string_view kReasonAzDown =
    "Server.AvailabilityZoneDown: the instance's availability zone went down";
inline constexpr std::string_view kReasonStartTimeout =
    "Server.StartTimeout: the instance's endpoints did not open in time";

struct Transition {
  cloud::InstanceState next = cloud::InstanceState::kPending;
  Signal signal = Signal::kNone;
  std::string_view reason;  // the new state_reason; empty keeps the current one
  bool changed = false;     // next differs from the current state
};

// Decide is total: an event that means nothing in a state leaves it unchanged, with no signal.
Transition Decide(cloud::InstanceState current, Event event);

// IsLive: the instance's process may exist (pending, running, shutting-down).
bool IsLive(cloud::InstanceState s);

}  // namespace made0::hostd
