#pragma once
// The commands behind made0ctl's CLI, once its arguments are parsed (app.cpp parses them).
// Each returns the process's exit code.

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"
#include "made0/ctl/app.hpp"
#include "made0/ctl/client.hpp"
#include "made0/ctl/resources.hpp"

namespace made0::ctl::internal {

enum class Output { kTable, kWide, kJson };

struct Context {
  InfraClient& infra;
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
  Sleeper sleep;
  std::chrono::milliseconds poll_interval;
  Output output = Output::kTable;
};

struct CreateInstanceArgs {
  std::string cluster;
  std::string region;
  std::string availability_zone;  // empty: not sent
  std::string category;
  std::string image;
  std::string owner;
};

// WaitArgs: whether to follow the saga and for how long (nullopt: until it finishes).
struct WaitArgs {
  bool wait = false;
  std::optional<std::chrono::milliseconds> timeout;
};

int GetResources(Context& ctx, Kind kind, const Filters& filters);
int Describe(Context& ctx, Kind kind, const std::string& id);
int CreateInstance(Context& ctx, const CreateInstanceArgs& args, const WaitArgs& wait);
int DeleteInstance(Context& ctx, const std::string& id, const WaitArgs& wait);
int RetrySaga(Context& ctx, const std::string& id, const WaitArgs& wait);
int Logs(Context& ctx, const std::string& id, const WaitArgs& follow);

// Fail prints FormatError(error) and returns kExitFailed.
int Fail(Context& ctx, const Error& error);

// FollowOptions: which events are new, and for how long to wait.
struct FollowOptions {
  long long after_seq = -1;  // print events with a greater seq (-1: all)
  std::optional<std::chrono::milliseconds> timeout;
  bool print = true;  // print each new event and the finish line
};

// Follow polls GET /v1/sagas/{id} until the saga reaches a terminal status, printing events as
// they appear; infra being briefly unreachable (a restart) only delays it. The result is the
// saga's final JSON, or an error (not found, timed out).
Result<nlohmann::json> Follow(Context& ctx, const std::string& id, const FollowOptions& options);

}  // namespace made0::ctl::internal
