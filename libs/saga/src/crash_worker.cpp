// saga_crashworker: an engine process for the crash test (crash_pgtest.cpp), which SIGKILLs it at
// random moments. Its saga type "Crash" has five steps; each records an effect keyed by its
// idempotency token and its compensation removes it, so after every saga has ended the effects
// table shows whether anything ran twice, was lost, or was left behind.
//
//   saga_crashworker <postgres-url> <schema>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "made0/core/random.hpp"
#include "made0/saga/engine.hpp"

using namespace made0;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: saga_crashworker <postgres-url> <schema>\n";
    return 2;
  }
  const std::string schema = argv[2];
  pg::Database db(argv[1], 4);
  SecureRandom rng;
  auto effect = [&](const saga::StepContext& c) {
    std::this_thread::sleep_for(std::chrono::microseconds(rng.Uniform(20000)));
    db.Exec("INSERT INTO " + schema +
                ".effects (token, saga_id) VALUES ($1, $2) ON CONFLICT (token) DO NOTHING",
            {c.idempotency_token, c.saga_id});
    return saga::StepResult::Done();
  };
  auto undo = [&](const saga::StepContext& c) {
    const std::string token = c.saga_id + ":" + c.step;
    db.Exec("DELETE FROM " + schema + ".effects WHERE token = $1", {token});
    return saga::StepResult::Done();
  };
  auto maybe_fail = [&](const saga::StepContext& c) {
    if (c.input.value("fail", false)) {
      return saga::StepResult::Fail(Error::Invalid("fail", "asked to fail"));
    }
    return effect(c);
  };
  saga::RetryPolicy retry{.max_attempts = 1000,
                          .initial_backoff = std::chrono::milliseconds(1),
                          .max_backoff = std::chrono::milliseconds(20)};
  saga::Definition def("Crash");
  def.Push(saga::Step("s0", effect).Compensate(undo).Retry(retry).CompensationRetry(retry))
      .Push(saga::Step("s1", effect).Compensate(undo).Retry(retry).CompensationRetry(retry))
      .Push(saga::Step("s2", effect).Compensate(undo).Retry(retry).CompensationRetry(retry))
      .Push(saga::Step("s3", maybe_fail).Compensate(undo).Retry(retry).CompensationRetry(retry))
      .Push(saga::Step("s4", effect).Compensate(undo).Retry(retry).CompensationRetry(retry));
  saga::Engine engine(db, schema,
                      {.owner = "worker-" + std::to_string(::getpid()),
                       .workers = 2,
                       .lease = std::chrono::milliseconds(400),
                       .idle_poll = std::chrono::milliseconds(20)});
  engine.Register(std::move(def));
  engine.Start();
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));  // until SIGKILL or SIGTERM
}
