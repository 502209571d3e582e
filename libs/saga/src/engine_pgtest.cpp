// The engine against the stack's real Postgres: each guarantee of the saga engine, one test.
#include "made0/saga/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "made0/pg/testing/test_database.hpp"

namespace made0::saga {
namespace {

using pg::testing::Eventually;
using pg::testing::TestDatabase;
using std::chrono::milliseconds;

class SagaEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pg::ApplyMigrations(t_.db(), t_.schema(), SagaMigrations(1)).ok());
  }
  std::unique_ptr<Engine> MakeEngine(const std::string& owner, EngineOptions o = {}) {
    o.owner = owner;
    return std::make_unique<Engine>(t_.db(), t_.schema(), o);
  }
  // Drain runs the engine by hand until nothing is due.
  static void Drain(Engine& e) {
    while (e.RunOnce()) {
    }
  }
  SagaStatus StatusOf(Engine& e, const std::string& id) {
    return e.store().Get(id)->summary.status;
  }
  std::vector<std::string> EventKinds(Engine& e, const std::string& id) {
    std::vector<std::string> kinds;
    const std::optional<SagaView> view = e.store().Get(id);
    for (const EventView& ev : view->events) kinds.push_back(ev.kind);
    return kinds;
  }
  TestDatabase t_{"saga_"};
};

RetryPolicy Fast(int attempts) {
  return {.max_attempts = attempts, .initial_backoff = milliseconds(5), .jitter = 0};
}

TEST_F(SagaEngineTest, RunsStepsInOrderAndPersistsOutputs) {
  auto engine = MakeEngine("e1");
  std::vector<std::string> ran;
  Definition def("Three");
  def.Push(Step("a",
                [&](const StepContext&) {
                  ran.push_back("a");
                  return StepResult::Done(1);
                })
               .Persist("aOut"))
      .Push(Step("b",
                 [&](const StepContext& c) {
                   ran.push_back("b:" + c.data.at("aOut").dump() + ":" + c.input.at("x").dump());
                   return StepResult::Done("two");
                 })
                .Persist("bOut"))
      .Push(Step("c", [&](const StepContext& c) {
        ran.push_back("c:" + c.idempotency_token);
        return StepResult::Done();
      }));
  engine->Register(std::move(def));
  auto id = engine->StartSaga("Three", {{"x", 7}}, "saga-order");
  ASSERT_TRUE(id.ok());
  Drain(*engine);
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b:1:7", "c:saga-order:c"}));
  auto view = engine->store().Get(*id);
  EXPECT_EQ(view->summary.status, SagaStatus::kCompleted);
  EXPECT_EQ(view->record.phase, Phase::kDone);
  EXPECT_EQ(view->record.data, (nlohmann::json{{"aOut", 1}, {"bOut", "two"}}));
  EXPECT_EQ(
      EventKinds(*engine, *id),
      (std::vector<std::string>{"saga_started", "step_started", "step_succeeded", "step_started",
                                "step_succeeded", "step_started", "step_succeeded", "finished"}));
}

TEST_F(SagaEngineTest, StartingTheSameIdTwiceStartsOneSaga) {
  auto engine = MakeEngine("e1");
  std::atomic<int> runs{0};
  engine->Register(Definition("One").Push(Step("a", [&](const StepContext&) {
    ++runs;
    return StepResult::Done();
  })));
  ASSERT_TRUE(engine->StartSaga("One", {}, "saga-dup").ok());
  ASSERT_TRUE(engine->StartSaga("One", {}, "saga-dup").ok());
  Drain(*engine);
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(engine->StartSaga("Nope", {}).ok());
}

TEST_F(SagaEngineTest, PermanentFailureRunsCompensationsOfCompletedStepsInReverse) {
  auto engine = MakeEngine("e1");
  std::vector<std::string> undone;
  auto ok = [](const StepContext&) { return StepResult::Done(); };
  auto undo = [&](const StepContext& c) {
    undone.push_back(c.step + "@" + c.idempotency_token);
    return StepResult::Done();
  };
  Definition def("Fails");
  def.Push(Step("a", ok).Compensate(undo))
      .Push(Step("b", ok))  // nothing to undo
      .Push(Step("c", ok).Compensate(undo))
      .Push(Step("d",
                 [](const StepContext&) {
                   return StepResult::Fail(Error::Invalid("image", "no such image"));
                 })
                .Compensate(undo))  // failed for sure: not undone
      .Push(Step("e", ok).Compensate(undo));
  std::vector<std::string> finished;
  def.OnFinished([&](const FinishedSaga& f) {
    finished.push_back(std::string(ToString(f.status)) + ": " + f.error);
    return Status::Ok();
  });
  engine->Register(std::move(def));
  auto id = engine->StartSaga("Fails", {});
  Drain(*engine);
  EXPECT_EQ(undone, (std::vector<std::string>{"c@" + *id + ":c:undo", "a@" + *id + ":a:undo"}));
  EXPECT_EQ(StatusOf(*engine, *id), SagaStatus::kCompensated);
  EXPECT_EQ(finished, (std::vector<std::string>{"compensated: no such image"}));
}

TEST_F(SagaEngineTest, TransientFailuresAreRetriedWithBackoffUpToTheLimit) {
  auto engine = MakeEngine("e1");
  std::vector<int> attempts;
  engine->Register(Definition("Flaky").Push(Step("a", [&](const StepContext& c) {
                                              attempts.push_back(c.attempt);
                                              if (c.attempt < 3)
                                                return StepResult::Retry(
                                                    Error::Unavailable("try later"));
                                              return StepResult::Done();
                                            }).Retry(Fast(5))));
  auto id = engine->StartSaga("Flaky", {});
  ASSERT_TRUE(Eventually([&] {
    Drain(*engine);
    return StatusOf(*engine, *id) == SagaStatus::kCompleted;
  }));
  EXPECT_EQ(attempts, (std::vector<int>{1, 2, 3}));
  int retries = 0;
  const std::optional<SagaView> view = engine->store().Get(*id);
  for (const EventView& ev : view->events) {
    if (ev.kind == "retry_scheduled") {
      ++retries;
      EXPECT_EQ(ev.error, "try later");
      EXPECT_EQ(ev.detail.at("retry_in_ms"), 5 << (ev.attempt - 1));
    }
  }
  EXPECT_EQ(retries, 2);

  // At the limit the step fails for good.
  engine->Register(Definition("Down").Push(Step("a", [](const StepContext&) {
                                             return StepResult::Retry(Error::Unavailable("down"));
                                           }).Retry(Fast(2))));
  auto down = engine->StartSaga("Down", {});
  ASSERT_TRUE(Eventually([&] {
    Drain(*engine);
    return StatusOf(*engine, *down) == SagaStatus::kCompensated;
  }));
  EXPECT_EQ(engine->store().Get(*down)->record.error, "down");
}

TEST_F(SagaEngineTest, AsyncStepResumesOnTheMatchingReplyOnly) {
  auto engine = MakeEngine("e1");
  std::string sent_correlation;
  engine->Register(Definition("Async")
                       .Push(Step("ask",
                                  [&](const StepContext& c) {
                                    sent_correlation = c.correlation_id;
                                    return StepResult::Sent();
                                  })
                                 .Async()
                                 .Persist("answer"))
                       .Push(Step("after", [](const StepContext& c) {
                         return c.data.at("answer") == 42
                                    ? StepResult::Done()
                                    : StepResult::Fail(Error::Internal("wrong answer"));
                       })));
  auto id = engine->StartSaga("Async", {});
  Drain(*engine);
  ASSERT_FALSE(sent_correlation.empty());
  EXPECT_EQ(engine->store().Get(*id)->record.phase, Phase::kAwaitingReply);
  EXPECT_FALSE(engine->DeliverReply(*id + "/0/9", {{"ok", true}, {"result", 1}}));  // stale
  EXPECT_TRUE(engine->DeliverReply(sent_correlation, {{"ok", true}, {"result", 42}}));
  EXPECT_FALSE(engine->DeliverReply(sent_correlation, {{"ok", true}, {"result", 43}}));  // dup
  Drain(*engine);
  EXPECT_EQ(StatusOf(*engine, *id), SagaStatus::kCompleted);
}

TEST_F(SagaEngineTest, AReplyThatNeverComesFailsTheStepAfterItsTimeout) {
  auto engine = MakeEngine("e1");
  std::atomic<int> sends{0};
  std::atomic<int> undone{0};
  engine->Register(Definition("Silent").Push(Step("ask",
                                                  [&](const StepContext&) {
                                                    ++sends;
                                                    return StepResult::Sent();
                                                  })
                                                 .Async()
                                                 .Timeout(milliseconds(30))
                                                 .Retry(Fast(2))
                                                 .Compensate([&](const StepContext&) {
                                                   ++undone;  // it may have happened: undo
                                                   return StepResult::Done();
                                                 })));
  auto id = engine->StartSaga("Silent", {});
  ASSERT_TRUE(Eventually([&] {
    Drain(*engine);
    return StatusOf(*engine, *id) == SagaStatus::kCompensated;
  }));
  EXPECT_EQ(sends, 2);
  EXPECT_EQ(undone, 1);
  EXPECT_NE(engine->store().Get(*id)->record.error.find("no reply"), std::string::npos);
}

TEST_F(SagaEngineTest, PollingStepTimesOut) {
  auto engine = MakeEngine("e1");
  std::atomic<int> polls{0};
  engine->Register(Definition("Poll").Push(Step("await", [&](const StepContext&) {
                                             ++polls;
                                             return StepResult::PollAfter(milliseconds(5));
                                           }).Timeout(milliseconds(60))));
  auto id = engine->StartSaga("Poll", {});
  ASSERT_TRUE(Eventually([&] {
    Drain(*engine);
    return StatusOf(*engine, *id) == SagaStatus::kCompensated;
  }));
  EXPECT_GT(polls, 2);
  EXPECT_NE(engine->store().Get(*id)->record.error.find("timed out"), std::string::npos);
}

TEST_F(SagaEngineTest, FailingCompensationIsVisibleDoesNotBlockOthersAndCanBeRetried) {
  auto engine = MakeEngine("e1");
  std::atomic<bool> repaired{false};
  engine->Register(Definition("Stuck")
                       .Push(Step("a", [](const StepContext&) { return StepResult::Done(); })
                                 .Compensate([&](const StepContext&) {
                                   return repaired ? StepResult::Done()
                                                   : StepResult::Retry(
                                                         Error::Unavailable("provider down"));
                                 })
                                 .CompensationRetry(Fast(2)))
                       .Push(Step("b", [](const StepContext&) {
                         return StepResult::Fail(Error::Invalid("x", "bad"));
                       })));
  engine->Register(
      Definition("Fine").Push(Step("a", [](const StepContext&) { return StepResult::Done(); })));
  auto stuck = engine->StartSaga("Stuck", {});
  ASSERT_TRUE(Eventually([&] {
    Drain(*engine);
    return StatusOf(*engine, *stuck) == SagaStatus::kCompensationFailed;
  }));
  EXPECT_EQ(engine->store().Get(*stuck)->record.error, "provider down");
  auto fine = engine->StartSaga("Fine", {});
  Drain(*engine);
  EXPECT_EQ(StatusOf(*engine, *fine), SagaStatus::kCompleted);
  EXPECT_EQ(engine->Retry(*fine).error().code, ErrorCode::kConflict);

  repaired = true;
  ASSERT_TRUE(engine->Retry(*stuck).ok());
  Drain(*engine);
  EXPECT_EQ(StatusOf(*engine, *stuck), SagaStatus::kCompensated);
}

TEST_F(SagaEngineTest, AnEngineThatLostItsClaimCannotWrite) {
  auto a = MakeEngine("a");
  auto b = MakeEngine("b");
  Definition def("One");
  def.Push(Step("x", [](const StepContext&) { return StepResult::Done(); }));
  a->Register(def);
  b->Register(def);
  auto id = a->StartSaga("One", {});
  const SystemTime now = std::chrono::system_clock::now();
  auto claim_a = a->store().ClaimDue("a", now, milliseconds(1), {"One"});
  ASSERT_TRUE(claim_a);
  std::this_thread::sleep_for(milliseconds(5));  // a's lease runs out
  auto claim_b = b->store().ClaimDue("b", now + milliseconds(5), milliseconds(30'000), {"One"});
  ASSERT_TRUE(claim_b);
  auto t = Apply(claim_a->record, def.specs(), {.kind = EventKind::kAttemptStarted}, now, 0);
  EXPECT_FALSE(a->store().Write(*claim_a, t->next, t->log, "x", std::nullopt, true, now,
                                milliseconds(1000), "a"));
  EXPECT_TRUE(b->store().Write(*claim_b, t->next, t->log, "x", std::nullopt, true, now,
                               milliseconds(1000), "b"));
}

TEST_F(SagaEngineTest, SeveralEnginesNeverRunOneSagaAtOnce) {
  constexpr int kSagas = 40;
  std::mutex mu;
  std::map<std::string, int> active;
  std::map<std::string, int> runs;
  std::atomic<int> overlaps{0};
  auto step = [&](const StepContext& c) {
    {
      std::lock_guard lock(mu);
      if (++active[c.saga_id] > 1) ++overlaps;
      ++runs[c.saga_id + ":" + c.step];
    }
    std::this_thread::sleep_for(milliseconds(1));
    std::lock_guard lock(mu);
    --active[c.saga_id];
    return StepResult::Done();
  };
  Definition def("Busy");
  def.Push(Step("a", step)).Push(Step("b", step)).Push(Step("c", step)).Push(Step("d", step));
  std::vector<std::unique_ptr<Engine>> engines;
  for (int i = 0; i < 3; ++i) {
    engines.push_back(
        MakeEngine("e" + std::to_string(i), {.workers = 4, .idle_poll = milliseconds(20)}));
    engines.back()->Register(def);
  }
  for (auto& e : engines) e->Start();
  std::vector<std::string> ids;
  for (int i = 0; i < kSagas; ++i) ids.push_back(*engines[0]->StartSaga("Busy", {}));
  EXPECT_TRUE(Eventually(
      [&] {
        return engines[0]->store().List({.status = SagaStatus::kCompleted, .limit = 1000}).size() ==
               kSagas;
      },
      std::chrono::seconds(60)));
  for (auto& e : engines) e->Stop();
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(runs.size(), 4u * kSagas);
  for (const auto& [key, n] : runs) EXPECT_EQ(n, 1) << key;
  long long lost = 0;
  for (auto& e : engines) lost += e->Stats().lost_claims;
  EXPECT_EQ(lost, 0);
}

}  // namespace
}  // namespace made0::saga
