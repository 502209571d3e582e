#pragma once
// made0ctl's entry point as a library function, so tests run the whole CLI in-process with
// injected streams, environment, clock and sleep.
//
//   ProcessEnv env;
//   SystemClock clock;
//   return ctl::Run(argc, argv, std::cout, std::cerr, {.env = env, .clock = clock});
//
// Exit codes: 0 success (and a saga that completed), 1 an error from infra, an unreachable
// infra, or a saga that ended compensated or failed, 2 bad usage.

#include <chrono>
#include <functional>
#include <iosfwd>

#include "made0/core/clock.hpp"
#include "made0/core/config.hpp"
#include "made0/ctl/endpoint.hpp"

namespace made0::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Sleeper waits between polls of a saga (std::this_thread::sleep_for unless a test injects one).
using Sleeper = std::function<void(std::chrono::milliseconds)>;

struct AppEnv {
  const Env& env;
  const Clock& clock;
  FileReader read_file = ReadWholeFile;
  Sleeper sleep = {};
  std::chrono::milliseconds poll_interval{500};  // how often --wait and -f look at the saga
};

// Run parses argv (argv[0] is the program's name) and runs the command.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const AppEnv& app);

}  // namespace made0::ctl
