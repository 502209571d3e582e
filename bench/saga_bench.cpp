// saga_bench: saga transitions persisted per second, and the engine's overhead per step.
//
//   saga_bench <postgres-url> <seconds> <workers>
//
// A saga type of ten no-op steps is run by one engine with `workers` threads over fresh sagas for
// `seconds`; every step costs two persisted transitions (started, succeeded). Prints
//   transitions_per_second <n>
//   step_overhead_ms p50 <x> p99 <y>        (between the starts of consecutive steps of a saga)
//   direct_call_ns p50 <x> p99 <y>          (the same handler called directly)
// bench/saga.sh sets the transitions beside pgbench on the same server.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "load.hpp"
#include "made0/core/random.hpp"
#include "made0/saga/engine.hpp"

using namespace made0;
using Steady = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: saga_bench <postgres-url> <seconds> <workers>\n");
    return 2;
  }
  const std::string url = argv[1];
  const int seconds = std::stoi(argv[2]);
  const int workers = std::stoi(argv[3]);
  SecureRandom rng;
  const std::string schema = "saga_bench_" + RandomHex(rng, 4);
  pg::Database db(url, workers + 4);
  if (auto st = pg::ApplyMigrations(db, schema, saga::SagaMigrations(1)); !st) {
    std::fprintf(stderr, "migrations: %s\n", st.error().message.c_str());
    return 1;
  }

  std::mutex mu;
  std::map<std::string, Steady::time_point> last_start;
  std::vector<double> gaps_ms;
  bool measuring = false;
  auto noop = [&](const saga::StepContext& c) {
    const auto now = Steady::now();
    std::lock_guard lock(mu);
    auto [it, inserted] = last_start.try_emplace(c.saga_id, now);
    if (!inserted) {
      if (measuring) {
        gaps_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
      }
      it->second = now;
    }
    return saga::StepResult::Done();
  };
  saga::Definition def("Noop");
  for (int i = 0; i < 10; ++i) def.Push(saga::Step("step" + std::to_string(i), noop));
  saga::Engine engine(db, schema, {.owner = "bench", .workers = workers, .listen = false});
  engine.Register(std::move(def));

  // Enough sagas that the workers never run dry (each makes 20 transitions; room for 80,000
  // transitions a second, warm-up included), started before the engine so that starting them
  // does not compete with it. The run fails below if they ran out anyway.
  const int sagas = 4000 * (std::max(1, seconds) + 1);
  for (int i = 0; i < sagas; ++i) {
    if (!engine.StartSaga("Noop", {}).ok()) return 1;
  }
  engine.Start();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // warm up
  {
    std::lock_guard lock(mu);
    measuring = true;
  }
  const long long before = engine.Stats().transitions;
  const auto t0 = Steady::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const long long after = engine.Stats().transitions;
  const double elapsed = std::chrono::duration<double>(Steady::now() - t0).count();
  {
    std::lock_guard lock(mu);
    measuring = false;
  }
  engine.Stop();

  // The same handler, called directly.
  std::vector<double> direct_ns;
  const std::function<saga::StepResult(const saga::StepContext&)> handler = noop;
  const nlohmann::json empty = nlohmann::json::object();
  for (int i = 0; i < 100'000; ++i) {
    const saga::StepContext ctx{.saga_id = "direct", .input = empty, .data = empty};
    const auto s = Steady::now();
    (void)handler(ctx);
    direct_ns.push_back(std::chrono::duration<double, std::nano>(Steady::now() - s).count());
  }
  db.Exec("DROP SCHEMA " + schema + " CASCADE");

  std::printf("transitions_per_second %.0f\n", static_cast<double>(after - before) / elapsed);
  std::printf("step_overhead_ms p50 %.3f p99 %.3f (n=%zu)\n", bench::Percentile(gaps_ms, 0.50),
              bench::Percentile(gaps_ms, 0.99), gaps_ms.size());
  std::printf("direct_call_ns p50 %.0f p99 %.0f\n", bench::Percentile(direct_ns, 0.50),
              bench::Percentile(direct_ns, 0.99));
  if (after - before == 0) return 1;
  if (after >= 20LL * sagas) {
    std::fprintf(stderr, "saga_bench: the sagas ran out; the figure is a lower bound\n");
    return 1;
  }
  return 0;
}
