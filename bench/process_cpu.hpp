#pragma once
// Process CPU accounting for benchmarks: the CPU time (user + system) of a process and all its
// descendants, read from /proc, so that a benchmark can say where the machine's CPU went. The
// children a process has already reaped count too (a PostgreSQL backend that exited is in the
// postmaster's cumulative children's time).
//
//   const std::map<std::string, int> roots = {{"postgres", 1234}, {"users", 5678}};
//   const auto before = TreeCpuSeconds(roots);
//   ...  // the load
//   const auto after = TreeCpuSeconds(roots);  // after["users"] - before["users"]: seconds
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace made0::bench {

struct ProcStat {
  int pid = 0;
  int ppid = 0;
  double cpu_seconds = 0;         // utime + stime
  double reaped_cpu_seconds = 0;  // cutime + cstime: children it has waited for
};

// ParseProcStat reads one /proc/<pid>/stat line; the command name in parentheses may itself hold
// spaces and parentheses. Nullopt for a line that does not parse.
std::optional<ProcStat> ParseProcStat(std::string_view line, double ticks_per_second);

// TreeCpuSeconds gives, for each named root PID, the CPU seconds of the root and of its live
// descendants, with what each has reaped. A root that no longer exists counts 0.
std::map<std::string, double> TreeCpuSeconds(const std::map<std::string, int>& roots);

}  // namespace made0::bench
