#include "made0/hostd/testing/hostd_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "made0/hostd/local_cloud.hpp"
#include "made0/hostd/process.hpp"
#include "made0/http/client.hpp"

namespace made0::hostd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

HostdProcess::HostdProcess(std::string dir, std::string binary, std::vector<std::string> env)
    : dir_(std::move(dir)),
      data_dir_(dir_ + "/data"),
      binary_(std::move(binary)),
      env_(std::move(env)) {
  fs::create_directories(dir_);
}

HostdProcess::~HostdProcess() {
  Kill(SIGKILL);
  KillInstances();
}

Status HostdProcess::Start() {
  log_path_ = dir_ + "/hostd-" + std::to_string(++starts_) + ".log";
  std::vector<std::string> env = {"MADE0_HOSTD_DATA_DIR=" + data_dir_,
                                  "MADE0_HOSTD_RECONCILE_INTERVAL=100ms",
                                  "MADE0_HOSTD_TERMINATE_GRACE=3s", "MADE0_HTTP_PORT=0"};
  env.insert(env.end(), env_.begin(), env_.end());
  pid_ = ::fork();
  if (pid_ < 0) return Error::Internal("fork failed");
  if (pid_ == 0) {
    for (const std::string& kv : env) {
      const auto eq = kv.find('=');
      ::setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
    }
    const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(binary_.c_str(), binary_.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string port;
  const bool serving = WaitFor(
      [&] {
        std::smatch m;
        const std::string text = ReadFile(log_path_);
        static const std::regex kServing(R"("msg":"serving".*"port":(\d+))");
        if (!std::regex_search(text, m, kServing)) return false;
        port = m[1];
        return true;
      },
      30s);
  if (!serving) return Error::Unavailable("hostd did not start; log:\n" + log());
  base_url_ = "http://127.0.0.1:" + port;
  http::Client client;
  const bool ready = WaitFor(
      [&] {
        auto r = client.Send({.method = "GET", .url = base_url_ + "/readyz", .timeout = 2s});
        return r && r->status == 200;
      },
      30s);
  if (!ready) return Error::Unavailable("hostd is not ready; log:\n" + log());
  return Status::Ok();
}

void HostdProcess::Kill(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  ::waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

void HostdProcess::KillInstances() {
  PosixProcessControl processes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir_ + "/state", ec)) {
    auto doc = nlohmann::json::parse(ReadFile(entry.path().string()), nullptr, false);
    if (!doc.is_object() || doc.value("kind", "") != "instance") continue;
    ProcessIdentity p{doc.value("pid", 0), doc.value("start_ticks", std::uint64_t{0})};
    if (auto marked =
            processes.FindByEnv(std::string(kInstanceMarker) + "=" + doc.value("id", ""))) {
      processes.Signal(*marked, SIGKILL);
    }
    processes.Signal(p, SIGKILL);
  }
}

std::string HostdProcess::log() const { return ReadFile(log_path_); }

int CountInstanceProcesses(const std::string& instance_id) {
  const std::string marker = std::string(kInstanceMarker) + "=" + instance_id;
  int n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string env = ReadFile(entry.path().string() + "/environ");
    if (env.find(marker + '\0') == std::string::npos) continue;
    auto st = ParseProcStat(ReadFile(entry.path().string() + "/stat"));
    if (st && st->state != 'Z') ++n;
  }
  return n;
}

}  // namespace made0::hostd::testing
