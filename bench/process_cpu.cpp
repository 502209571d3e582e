#include "process_cpu.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace made0::bench {

std::optional<ProcStat> ParseProcStat(std::string_view line, double ticks_per_second) {
  // "pid (comm) state ppid ..." and comm may contain ") ", so the fields start after the last ')'.
  const auto open = line.find(" (");
  const auto close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  ProcStat st;
  if (std::from_chars(line.data(), line.data() + open, st.pid).ec != std::errc{}) {
    return std::nullopt;
  }
  // Fields after comm, numbered from 3 (state) as in proc(5): ppid is 4, utime 14, stime 15,
  // cutime 16, cstime 17.
  std::istringstream rest{std::string(line.substr(close + 1))};
  std::vector<std::string> fields;
  for (std::string f; fields.size() < 15 && rest >> f;) fields.push_back(f);
  if (fields.size() < 15) return std::nullopt;
  auto number = [&](int field, double& out) {
    const std::string& s = fields[static_cast<std::size_t>(field - 3)];
    long long v = 0;
    if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc{}) return false;
    out = static_cast<double>(v);
    return true;
  };
  double ppid = 0, utime = 0, stime = 0, cutime = 0, cstime = 0;
  if (!number(4, ppid) || !number(14, utime) || !number(15, stime) || !number(16, cutime) ||
      !number(17, cstime)) {
    return std::nullopt;
  }
  st.ppid = static_cast<int>(ppid);
  st.cpu_seconds = (utime + stime) / ticks_per_second;
  st.reaped_cpu_seconds = (cutime + cstime) / ticks_per_second;
  return st;
}

std::map<std::string, double> TreeCpuSeconds(const std::map<std::string, int>& roots) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::map<int, ProcStat> procs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;  // it exited meanwhile
    if (auto st = ParseProcStat(line, ticks)) procs[st->pid] = *st;
  }
  std::map<int, std::vector<int>> children;
  for (const auto& [pid, st] : procs) children[st.ppid].push_back(pid);

  std::map<std::string, double> out;
  for (const auto& [label, root] : roots) {
    double sum = 0;
    std::vector<int> stack;
    if (procs.count(root) != 0) stack.push_back(root);
    while (!stack.empty()) {
      const int pid = stack.back();
      stack.pop_back();
      const ProcStat& st = procs[pid];
      sum += st.cpu_seconds + st.reaped_cpu_seconds;
      for (int child : children[pid]) stack.push_back(child);
    }
    out[label] = sum;
  }
  return out;
}

}  // namespace made0::bench
