#pragma once
// HostdProcess: a real made0-hostd for tests, over a data directory of the test's own, started
// and killed by PID. Its instances (real processes that outlive hostd by design) are killed by
// the PIDs recorded under the data directory, each checked against its start time, so nothing a
// test started is left behind, also when the test fails.
//
//   hostd::testing::HostdProcess hostd(dir, MADE0_HOSTD_BINARY, {"MADE0_HOSTD_ZONES=us-east-1a"});
//   ASSERT_TRUE(hostd.Start());                      // waits until it serves and is registered
//   auto provider = cloud::MakeLocalProvider(cloud::DirectHostd(client, hostd.base_url()));
//   ...                                              // ~HostdProcess: SIGKILL hostd + instances

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "made0/core/status.hpp"

namespace made0::hostd::testing {

class HostdProcess {
 public:
  // env: extra NAME=value settings on top of the test defaults (data directory, a free port,
  // a 100 ms reconcile interval, a 3 s terminate grace).
  HostdProcess(std::string dir, std::string binary, std::vector<std::string> env = {});
  ~HostdProcess();
  HostdProcess(const HostdProcess&) = delete;
  HostdProcess& operator=(const HostdProcess&) = delete;

  // Start runs hostd (again) and waits up to 30 s until it answers /readyz.
  Status Start();
  // Kill signals hostd and reaps it.
  void Kill(int signal);
  // KillInstances SIGKILLs every instance process recorded in the data directory.
  void KillInstances();

  pid_t pid() const { return pid_; }
  const std::string& base_url() const { return base_url_; }
  const std::string& data_dir() const { return data_dir_; }
  // log is the current run's output.
  std::string log() const;

 private:
  std::string dir_;
  std::string data_dir_;
  std::string binary_;
  std::vector<std::string> env_;
  std::string log_path_;
  std::string base_url_;
  int starts_ = 0;
  pid_t pid_ = 0;
};

// ReadFile returns a file's content ("" when it cannot be read).
std::string ReadFile(const std::string& path);
// WaitFor polls done() every 50 ms until it holds or timeout passes; returns its last answer.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// CountInstanceProcesses counts live (not zombie) processes carrying an instance's marker.
int CountInstanceProcesses(const std::string& instance_id);

}  // namespace made0::hostd::testing
