#pragma once
// StackCpu: where the CPU of a running made0 went while a benchmark drove it. It adds up, over the
// phases a benchmark brackets with Begin and End, the CPU of each service and each server of the
// local stack (their process trees, from /proc), and the CPU users spent per argon2id hash (its
// made0_password_hashes and made0_password_hash_cpu_seconds metrics).
//
//   auto account = StackCpu::FromEnvironment();  // MADE0_SERVICES_DIR, MADE0_STACK_DIR
//   account->Begin();  ...  // a phase of load
//   account->End(signups);
//   account->Print(cores, load_generator_cpu_seconds, argon2id_cpu_ms_per_hash_alone);
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "made0/testing/system.hpp"

namespace made0::bench {

class StackCpu {
 public:
  // FromEnvironment is nullopt unless MADE0_SERVICES_DIR (scripts/services.sh --dir) and
  // MADE0_STACK_DIR (scripts/stack.sh --dir) say where the services and servers run.
  static std::optional<StackCpu> FromEnvironment();

  // Begin and End bracket one measured phase, in which `operations` completed.
  void Begin();
  void End(std::size_t operations);

  // Print gives each process tree's CPU per operation over the phases, the load generator's, and
  // the rest of the cores' time (idle, and the machine's own processes); then users' CPU per
  // argon2id hash beside the same hash measured alone.
  void Print(int cores, double load_cpu_seconds, double alone_cpu_ms_per_hash) const;

 private:
  // UsersHashStats reads users' running totals: hashes, and their CPU seconds (zeros if unread).
  std::pair<double, double> UsersHashStats() const;

  testing::SystemEnv env_;
  std::map<std::string, int> roots_;  // name -> PID of the process tree's root
  std::map<std::string, double> before_, spent_;
  std::pair<double, double> hashes_before_{0, 0};
  double users_hashes_ = 0, users_hash_cpu_ = 0, wall_ = 0;
  std::chrono::steady_clock::time_point wall_before_;
  std::size_t operations_ = 0;
};

}  // namespace made0::bench
