#include "made0/hostd/instance_fsm.hpp"

namespace made0::hostd {

using cloud::InstanceState;

std::string_view ToString(Event e) {
  switch (e) {
    case Event::kSpawned:
      return "spawned";
    case Event::kEndpointsReady:
      return "endpoints-ready";
    case Event::kProcessGone:
      return "process-gone";
    case Event::kTerminateRequested:
      return "terminate-requested";
    case Event::kGraceExpired:
      return "grace-expired";
    case Event::kStartTimedOut:
      return "start-timed-out";
    case Event::kKillInjected:
      return "kill-injected";
    case Event::kAzDown:
      return "az-down";
  }
  return "unknown";
}

bool IsLive(InstanceState s) {
  return s == InstanceState::kPending || s == InstanceState::kRunning ||
         s == InstanceState::kShuttingDown;
}

Transition Decide(InstanceState current, Event event) {
  const Transition stay{current, Signal::kNone, {}, false};
  auto to = [current](InstanceState next, Signal signal, std::string_view reason) {
    return Transition{next, signal, reason, next != current};
  };
  if (!IsLive(current)) return stay;  // terminated (and states hostd never enters) are final
  const bool starting_or_running =
      current == InstanceState::kPending || current == InstanceState::kRunning;
  switch (event) {
    case Event::kSpawned:
      return stay;
    case Event::kEndpointsReady:
      if (current == InstanceState::kPending) return to(InstanceState::kRunning, Signal::kNone, {});
      return stay;
    case Event::kProcessGone:
      // While shutting down this is the expected end; the reason was set by the request.
      if (current == InstanceState::kShuttingDown) {
        return to(InstanceState::kTerminated, Signal::kNone, {});
      }
      return to(InstanceState::kTerminated, Signal::kNone, kReasonProcessExited);
    case Event::kTerminateRequested:
      if (starting_or_running) {
        return to(InstanceState::kShuttingDown, Signal::kTerm, kReasonUserShutdown);
      }
      return stay;  // already shutting down: terminating again changes nothing
    case Event::kGraceExpired:
      if (current == InstanceState::kShuttingDown) return {current, Signal::kKill, {}, false};
      return stay;
    case Event::kStartTimedOut:
      if (current == InstanceState::kPending) {
        return to(InstanceState::kTerminated, Signal::kKill, kReasonStartTimeout);
      }
      return stay;
    case Event::kKillInjected:
      return to(InstanceState::kTerminated, Signal::kKill, kReasonKilled);
    case Event::kAzDown:
      return to(InstanceState::kTerminated, Signal::kKill, kReasonAzDown);
  }
  return stay;
}

}  // namespace made0::hostd
