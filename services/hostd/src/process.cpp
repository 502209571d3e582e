#include "made0/hostd/process.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace made0::hostd {
namespace {

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<ProcStat> StatOf(int pid) {
  if (pid <= 0) return std::nullopt;
  return ParseProcStat(ReadSmallFile("/proc/" + std::to_string(pid) + "/stat"));
}

// ReadFull reads exactly n bytes unless the pipe closes first; returns the bytes read.
std::size_t ReadFull(int fd, void* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, static_cast<char*>(buf) + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// The code between fork and execve runs in a copy of a multithreaded process, so it only makes
// async-signal-safe calls on data prepared before the fork.
[[noreturn]] void ExecChild(char* const* argv, char* const* envp, const char* cwd,
                            const char* log_path, int report_fd) {
  auto fail = [report_fd]() {
    const int err = errno;
    (void)!::write(report_fd, &err, sizeof err);
    ::_exit(127);
  };
  ::setpgid(0, 0);  // its own group: terminating the instance reaches whatever it forks
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);  // hostd blocks SIGTERM in every thread
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);  // hostd ignores SIGPIPE
  if (::chdir(cwd) != 0) fail();
  const int null_fd = ::open("/dev/null", O_RDONLY);
  const int log_fd = ::open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0640);
  if (null_fd < 0 || log_fd < 0) fail();
  // Move the report pipe out of the way first: it may be one of 0..2.
  const int report = ::fcntl(report_fd, F_DUPFD_CLOEXEC, 10);
  if (report < 0) fail();
  report_fd = report;
  if (::dup2(null_fd, 0) < 0 || ::dup2(log_fd, 1) < 0 || ::dup2(log_fd, 2) < 0) fail();
  // Close everything else hostd had open (sockets, Redis connections), except the report pipe.
  for (int fd = 3; fd < report_fd; ++fd) ::close(fd);
  ::syscall(SYS_close_range, static_cast<unsigned>(report_fd) + 1, ~0U, 0U);
  ::execve(argv[0], argv, envp);
  fail();
  ::_exit(127);  // not reached: fail() exits
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view text) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos || close + 2 >= text.size()) return std::nullopt;
  // After "pid (comm) " come fields 3 (state), 4, ... 22 (starttime).
  std::string_view rest = text.substr(close + 2);
  ProcStat st;
  int field = 3;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    const std::string_view value = rest.substr(0, space);
    if (field == 3) {
      if (value.size() != 1) return std::nullopt;
      st.state = value[0];
    } else if (field == 22) {
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), st.start_ticks);
      if (ec != std::errc{} || p != value.data() + value.size()) return std::nullopt;
      return st;
    }
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
    ++field;
  }
  return std::nullopt;
}

std::string ExecutableDir() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<std::size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

Result<ProcessIdentity> PosixProcessControl::Spawn(const SpawnRequest& request) {
  if (request.argv.empty()) return Error::Internal("spawn: empty argv");
  std::vector<char*> argv;
  for (const auto& a : request.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : request.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Error::Internal(std::string("pipe2: ") + std::strerror(errno));
  }
  const pid_t middle = ::fork();
  if (middle < 0) {
    const int err = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Error::Unavailable(std::string("fork: ") + std::strerror(err));
  }
  if (middle == 0) {
    ::close(pipe_fds[0]);
    ::setsid();  // no controlling terminal, no signals from hostd's session
    const pid_t instance = ::fork();
    if (instance == 0) {
      ExecChild(argv.data(), envp.data(), request.cwd.c_str(), request.log_path.c_str(),
                pipe_fds[1]);
    }
    const int sent = instance;  // -1 when the second fork failed
    (void)!::write(pipe_fds[1], &sent, sizeof sent);
    ::_exit(instance < 0 ? 1 : 0);
  }
  ::close(pipe_fds[1]);
  int status = 0;
  while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {
  }
  int pid = -1;
  int exec_errno = 0;
  const bool got_pid = ReadFull(pipe_fds[0], &pid, sizeof pid) == sizeof pid;
  // The pipe closes on a successful execve; an errno arrives if it failed.
  const bool exec_failed =
      got_pid && pid > 0 && ReadFull(pipe_fds[0], &exec_errno, sizeof exec_errno) != 0;
  ::close(pipe_fds[0]);
  if (!got_pid || pid <= 0) return Error::Unavailable("fork of the instance process failed");
  if (exec_failed) {
    return Error::Invalid("image",
                          "cannot start " + request.argv[0] + ": " + std::strerror(exec_errno));
  }
  auto st = StatOf(pid);
  // A process that exited already is still identified by its PID; reconcile then sees it gone.
  return ProcessIdentity{pid, st ? st->start_ticks : 0};
}

bool PosixProcessControl::Alive(const ProcessIdentity& identity) const {
  auto st = StatOf(identity.pid);
  if (!st) return false;
  if (st->state == 'Z' || st->state == 'X' || st->state == 'x') return false;
  return st->start_ticks == identity.start_ticks;
}

void PosixProcessControl::Signal(const ProcessIdentity& identity, int sig) {
  if (!Alive(identity)) return;
  if (::kill(-identity.pid, sig) != 0) ::kill(identity.pid, sig);
}

bool PosixProcessControl::PortAccepts(int port) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in addr = Loopback(port);
  bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  if (!ok && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 100) == 1) {
      int err = 0;
      socklen_t len = sizeof err;
      ok = ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
  }
  ::close(fd);
  return ok;
}

Result<int> PosixProcessControl::FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error::Unavailable(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    return Error::Unavailable(std::string("no free port: ") + std::strerror(err));
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

std::optional<ProcessIdentity> PosixProcessControl::FindByEnv(const std::string& entry) const {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return std::nullopt;
  std::optional<ProcessIdentity> found;
  while (dirent* d = ::readdir(proc)) {
    int pid = 0;
    const std::string_view name(d->d_name);
    auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc{} || p != name.data() + name.size()) continue;
    const std::string environ = ReadSmallFile(std::string("/proc/") + d->d_name + "/environ");
    // Entries are NUL-separated; match a whole entry.
    std::size_t at = 0;
    bool match = false;
    while (at < environ.size()) {
      const auto end = environ.find('\0', at);
      const std::string_view e(environ.data() + at,
                               (end == std::string::npos ? environ.size() : end) - at);
      if (e == entry) {
        match = true;
        break;
      }
      if (end == std::string::npos) break;
      at = end + 1;
    }
    if (!match) continue;
    auto st = StatOf(pid);
    if (st && st->state != 'Z' && st->state != 'X') {
      found = ProcessIdentity{pid, st->start_ticks};
      break;
    }
  }
  ::closedir(proc);
  return found;
}

}  // namespace made0::hostd
