#include "stack_cpu.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "made0/http/client.hpp"
#include "process_cpu.hpp"

namespace made0::bench {

using Clock = std::chrono::steady_clock;

std::optional<StackCpu> StackCpu::FromEnvironment() {
  const char* services = std::getenv("MADE0_SERVICES_DIR");
  const char* stack = std::getenv("MADE0_STACK_DIR");
  if (services == nullptr || stack == nullptr) return std::nullopt;
  StackCpu a;
  a.env_.services_dir = services;
  for (const char* s : {"frontend", "users", "verification", "infra", "hostd"}) {
    if (const int pid = a.env_.Pid(s)) a.roots_[s] = pid;
  }
  // The PID files scripts/stack.sh keeps (PostgreSQL's is the postmaster's own).
  const std::map<std::string, std::string> servers = {{"postgres", "/pg/data/postmaster.pid"},
                                                      {"rabbitmq", "/rabbit/rabbit.pid"},
                                                      {"mongodb-wire", "/mongo/mongo.pid"},
                                                      {"smtp-sink", "/smtp/smtp.pid"},
                                                      {"redis", "/redis/redis.pid"}};
  for (const auto& [name, file] : servers) {
    std::ifstream in(std::string(stack) + file);
    if (int pid = 0; in >> pid && pid > 0) a.roots_[name] = pid;
  }
  return a;
}

void StackCpu::Begin() {
  before_ = TreeCpuSeconds(roots_);
  hashes_before_ = UsersHashStats();
  wall_before_ = Clock::now();
}

void StackCpu::End(std::size_t operations) {
  for (const auto& [name, cpu] : TreeCpuSeconds(roots_)) spent_[name] += cpu - before_[name];
  const auto [hashes, cpu] = UsersHashStats();
  users_hashes_ += hashes - hashes_before_.first;
  users_hash_cpu_ += cpu - hashes_before_.second;
  wall_ += std::chrono::duration<double>(Clock::now() - wall_before_).count();
  operations_ += operations;
}

void StackCpu::Print(int cores, double load_cpu_seconds, double alone_cpu_ms_per_hash) const {
  if (operations_ == 0) return;
  const double n = static_cast<double>(operations_);
  std::vector<std::pair<double, std::string>> rows;
  double accounted = load_cpu_seconds;
  for (const auto& [name, cpu] : spent_) {
    rows.emplace_back(cpu * 1000 / n, name);
    accounted += cpu;
  }
  std::sort(rows.rbegin(), rows.rend());
  const double available = wall_ * cores * 1000 / n;
  std::printf("where the CPU went, ms per sign-up (the %d cores' time over the phases: %.1f):\n",
              cores, available);
  for (const auto& [ms, name] : rows) std::printf("  %-14s %6.2f\n", name.c_str(), ms);
  std::printf("  %-14s %6.2f\n", "load generator", load_cpu_seconds * 1000 / n);
  std::printf("  %-14s %6.2f  (idle, and the machine's own processes)\n", "the rest",
              available - accounted * 1000 / n);
  if (users_hashes_ > 0) {
    const double in_users = users_hash_cpu_ * 1000 / users_hashes_;
    std::printf(
        "argon2id in users: %.2f ms of CPU per hash, alone (the references): %.2f ms (%.2f x)\n",
        in_users, alone_cpu_ms_per_hash, in_users / alone_cpu_ms_per_hash);
  }
}

std::pair<double, double> StackCpu::UsersHashStats() const {
  std::pair<double, double> out{0, 0};
  try {
    http::Client client;
    http::ClientRequest req;
    req.url = env_.ServiceUrl("users") + "/metrics";
    auto resp = client.Send(req);
    if (!resp || resp->status != 200) return out;
    std::istringstream in(resp->body);
    for (std::string line; std::getline(in, line);) {
      const auto space = line.rfind(' ');
      if (space == std::string::npos) continue;
      if (line.rfind("made0_password_hashes{", 0) == 0) out.first = std::stod(line.substr(space));
      if (line.rfind("made0_password_hash_cpu_seconds{", 0) == 0) {
        out.second = std::stod(line.substr(space));
      }
    }
  } catch (const std::exception&) {  // no figure rather than no benchmark
  }
  return out;
}

}  // namespace made0::bench
