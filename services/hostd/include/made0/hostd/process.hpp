#pragma once
// ProcessControl: the operating-system edge of hostd, behind an interface so LocalCloud's logic
// is tested with a fake. PosixProcessControl is the real one:
//
// - Spawn starts an instance detached, so it outlives hostd as a real cloud's VM outlives its
//   control plane: fork, setsid, fork again (the middle process exits at once, so the instance is
//   reparented to init and never becomes hostd's zombie), its own process group, signals unblocked
//   and reset, stdin from /dev/null, stdout and stderr appended to a log file, every other file
//   descriptor closed, then execve with exactly the planned environment. An exec failure is
//   reported back through a close-on-exec pipe, so "no such binary" is an error, not a dead
//   instance.
// - A process is named by PID plus start time (ProcessIdentity), so a reused PID is never mistaken
//   for the instance, and a zombie counts as dead.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/hostd/records.hpp"

namespace made0::hostd {

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0]: the program's path
  std::vector<std::string> env;   // "NAME=value"
  std::string cwd;
  std::string log_path;  // stdout and stderr, appended
};

class ProcessControl {
 public:
  virtual ~ProcessControl() = default;
  virtual Result<ProcessIdentity> Spawn(const SpawnRequest& request) = 0;
  // Alive: the process exists, started at identity.start_ticks, and is not a zombie.
  virtual bool Alive(const ProcessIdentity& identity) const = 0;
  // Signal sends sig to the process's group, only while Alive (never to a reused PID).
  virtual void Signal(const ProcessIdentity& identity, int sig) = 0;
  // PortAccepts: something accepts TCP connections on 127.0.0.1:port right now.
  virtual bool PortAccepts(int port) const = 0;
  // FreePort asks the kernel for a port nobody listens on (127.0.0.1).
  virtual Result<int> FreePort() = 0;
  // FindByEnv finds a live process whose environment holds `entry` ("NAME=value"): how a restarted
  // hostd finds an instance it started but did not get to record.
  virtual std::optional<ProcessIdentity> FindByEnv(const std::string& entry) const = 0;
};

class PosixProcessControl final : public ProcessControl {
 public:
  Result<ProcessIdentity> Spawn(const SpawnRequest& request) override;
  bool Alive(const ProcessIdentity& identity) const override;
  void Signal(const ProcessIdentity& identity, int sig) override;
  bool PortAccepts(int port) const override;
  Result<int> FreePort() override;
  std::optional<ProcessIdentity> FindByEnv(const std::string& entry) const override;
};

// ProcStat is what hostd reads from /proc/<pid>/stat.
struct ProcStat {
  char state = '?';  // R, S, D, Z (zombie), X (dead), ...
  std::uint64_t start_ticks = 0;
};

// ParseProcStat parses the text of /proc/<pid>/stat; the command name (field 2) may contain
// spaces and parentheses, so fields are counted from the last ')'.
std::optional<ProcStat> ParseProcStat(std::string_view text);

// ExecutableDir is the directory of this process's own executable (/proc/self/exe), or "".
std::string ExecutableDir();

}  // namespace made0::hostd
