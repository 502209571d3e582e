#include "made0/hostd/instance_fsm.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

using S = cloud::InstanceState;

struct Row {
  S from;
  Event event;
  S to;
  Signal signal;
  std::string_view reason;  // expected new reason; empty: unchanged
};

TEST(InstanceFsm, TransitionTable) {
  const Row rows[] = {
      {S::kPending, Event::kSpawned, S::kPending, Signal::kNone, {}},
      {S::kPending, Event::kEndpointsReady, S::kRunning, Signal::kNone, {}},
      {S::kRunning, Event::kEndpointsReady, S::kRunning, Signal::kNone, {}},
      {S::kPending, Event::kProcessGone, S::kTerminated, Signal::kNone, kReasonProcessExited},
      {S::kRunning, Event::kProcessGone, S::kTerminated, Signal::kNone, kReasonProcessExited},
      {S::kShuttingDown, Event::kProcessGone, S::kTerminated, Signal::kNone, {}},
      {S::kPending, Event::kTerminateRequested, S::kShuttingDown, Signal::kTerm,
       kReasonUserShutdown},
      {S::kRunning, Event::kTerminateRequested, S::kShuttingDown, Signal::kTerm,
       kReasonUserShutdown},
      {S::kShuttingDown, Event::kTerminateRequested, S::kShuttingDown, Signal::kNone, {}},
      {S::kShuttingDown, Event::kGraceExpired, S::kShuttingDown, Signal::kKill, {}},
      {S::kRunning, Event::kGraceExpired, S::kRunning, Signal::kNone, {}},
      {S::kPending, Event::kStartTimedOut, S::kTerminated, Signal::kKill, kReasonStartTimeout},
      {S::kRunning, Event::kStartTimedOut, S::kRunning, Signal::kNone, {}},
      {S::kRunning, Event::kKillInjected, S::kTerminated, Signal::kKill, kReasonKilled},
      {S::kPending, Event::kKillInjected, S::kTerminated, Signal::kKill, kReasonKilled},
      {S::kShuttingDown, Event::kKillInjected, S::kTerminated, Signal::kKill, kReasonKilled},
      {S::kRunning, Event::kAzDown, S::kTerminated, Signal::kKill, kReasonAzDown},
      {S::kPending, Event::kAzDown, S::kTerminated, Signal::kKill, kReasonAzDown},
      {S::kShuttingDown, Event::kAzDown, S::kTerminated, Signal::kKill, kReasonAzDown},
      // Terminated is final: nothing is signalled (the PID may belong to someone else by now).
      {S::kTerminated, Event::kProcessGone, S::kTerminated, Signal::kNone, {}},
      {S::kTerminated, Event::kTerminateRequested, S::kTerminated, Signal::kNone, {}},
      {S::kTerminated, Event::kKillInjected, S::kTerminated, Signal::kNone, {}},
      {S::kTerminated, Event::kAzDown, S::kTerminated, Signal::kNone, {}},
      {S::kTerminated, Event::kEndpointsReady, S::kTerminated, Signal::kNone, {}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(cloud::ToString(row.from)) + " + " + std::string(ToString(row.event)));
    const Transition t = Decide(row.from, row.event);
    EXPECT_EQ(t.next, row.to);
    EXPECT_EQ(t.signal, row.signal);
    EXPECT_EQ(t.reason, row.reason);
    EXPECT_EQ(t.changed, row.from != row.to);
  }
}

TEST(InstanceFsm, LiveStates) {
  EXPECT_TRUE(IsLive(S::kPending));
  EXPECT_TRUE(IsLive(S::kRunning));
  EXPECT_TRUE(IsLive(S::kShuttingDown));
  EXPECT_FALSE(IsLive(S::kTerminated));
  EXPECT_FALSE(IsLive(S::kStopped));
}

}  // namespace
}  // namespace made0::hostd
