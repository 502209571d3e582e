// Crash safety: engine processes are SIGKILLed at random moments while sagas run. Afterwards
// every saga has ended completed or compensated, each completed saga's five effects exist once
// (nothing lost, nothing doubled) and no compensated saga left an effect behind.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <random>
#include <thread>

#include "made0/pg/testing/test_database.hpp"
#include "made0/saga/engine.hpp"

extern char** environ;

namespace made0::saga {
namespace {

using std::chrono::milliseconds;

pid_t Spawn(const std::string& url, const std::string& schema) {
  std::vector<std::string> args = {SAGA_CRASHWORKER, url, schema};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

void Kill(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

TEST(SagaCrash, KilledEnginesLoseNothingAndDoubleNothing) {
  pg::testing::TestDatabase t("sagacrash_");
  auto migrations = SagaMigrations(1);
  migrations.push_back(
      {10, "effects", "CREATE TABLE effects (token text PRIMARY KEY, saga_id text NOT NULL)"});
  ASSERT_TRUE(pg::ApplyMigrations(t.db(), t.schema(), migrations).ok());

  // The test process only starts sagas; a definition is needed to name the type.
  Engine starter(t.db(), t.schema(), {.owner = "starter"});
  Definition def("Crash");
  for (const char* name : {"s0", "s1", "s2", "s3", "s4"}) {
    def.Push(Step(name, [](const StepContext&) { return StepResult::Done(); }));
  }
  starter.Register(std::move(def));
  constexpr int kSagas = 200;
  for (int i = 0; i < kSagas; ++i) {
    ASSERT_TRUE(starter.StartSaga("Crash", {{"fail", i % 3 == 0}}).ok());
  }

  std::mt19937 rng(std::random_device{}());
  int kills = 0;
  for (int round = 0; round < 25; ++round) {
    // Two engines at once, so claims also move between live processes.
    const pid_t a = Spawn(t.url(), t.schema());
    const pid_t b = Spawn(t.url(), t.schema());
    ASSERT_GT(a, 0);
    ASSERT_GT(b, 0);
    std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<>(30, 250)(rng)));
    Kill(a);
    Kill(b);
    kills += 2;
  }
  const pid_t last = Spawn(t.url(), t.schema());
  const bool all_done = pg::testing::Eventually(
      [&] {
        return t.db()
                   .Exec("SELECT count(*) AS n FROM " + t.schema() +
                         ".sagas WHERE phase = 'done'")[0]
                   .Get<std::int64_t>("n") == kSagas;
      },
      std::chrono::seconds(90));
  Kill(last);
  ASSERT_TRUE(all_done);

  int completed = 0;
  int compensated = 0;
  for (const SagaSummary& s : starter.store().List({.limit = 1000})) {
    const auto effects =
        t.db()
            .Exec("SELECT count(*) AS n FROM " + t.schema() + ".effects WHERE saga_id = $1",
                  {s.id})[0]
            .Get<std::int64_t>("n");
    const auto view = starter.store().Get(s.id);
    const bool asked_to_fail = view->record.input.value("fail", false);
    if (s.status == SagaStatus::kCompleted) {
      ++completed;
      EXPECT_FALSE(asked_to_fail) << s.id;
      EXPECT_EQ(effects, 5) << s.id;
    } else {
      ++compensated;
      EXPECT_EQ(s.status, SagaStatus::kCompensated) << s.id << ": " << s.error;
      EXPECT_EQ(effects, 0) << s.id;
    }
  }
  EXPECT_EQ(completed + compensated, kSagas);
  // The kills must have hit sagas mid-attempt, or this test proves nothing.
  const auto interrupted = t.db()
                               .Exec("SELECT count(*) AS n FROM " + t.schema() +
                                     ".saga_events WHERE detail->>'event' = 'interrupted'")[0]
                               .Get<std::int64_t>("n");
  EXPECT_GT(interrupted, 0);
  std::cout << kills << " engine processes killed, " << interrupted << " attempts interrupted; "
            << completed << " completed, " << compensated << " compensated\n";
}

}  // namespace
}  // namespace made0::saga
