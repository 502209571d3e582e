#include "made0/testing/system.hpp"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "made0/core/random.hpp"

namespace made0::testing {
namespace {

std::string RequireEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) + " is not set: run system tests through ctest");
  }
  return v;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void Run(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

// Alive: the process exists and is not a zombie waiting to be reaped.
bool Alive(int pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close == std::string::npos || stat.size() < close + 3 || stat[close + 2] != 'Z';
}

}  // namespace

namespace {

// ServingPort: the port in the last "serving" line of a service's log (its current process's:
// services.sh appends a "starting" line before each start), or "".
std::string ServingPort(const std::string& log) {
  const auto serving = log.rfind("\"msg\":\"serving\"");
  const auto started = log.rfind("services.sh: starting");
  if (serving == std::string::npos || (started != std::string::npos && started > serving)) {
    return "";
  }
  const auto p = log.find("\"port\":", serving);
  if (p == std::string::npos) return "";
  return log.substr(p + 7, log.find_first_not_of("0123456789", p + 7) - p - 7);
}

}  // namespace

SystemEnv SystemEnv::FromEnvironment() {
  SystemEnv e;
  e.services_dir = RequireEnv("MADE0_SERVICES_DIR");
  e.stack_dir = RequireEnv("MADE0_STACK_DIR");
  e.source_dir = RequireEnv("MADE0_SOURCE_DIR");
  e.build_dir = RequireEnv("MADE0_BINARY_DIR");
  e.console_url = Trim(ReadFile(e.services_dir + "/console.url"));
  std::istringstream env(ReadFile(e.stack_dir + "/stack.env"));
  for (std::string line; std::getline(env, line);) {
    if (line.rfind("MADE0_MAILDIR=", 0) == 0) e.maildir = line.substr(14);
  }
  if (e.console_url.empty() || e.maildir.empty()) {
    throw std::runtime_error("services or stack not started (no console.url or MADE0_MAILDIR)");
  }
  return e;
}

int SystemEnv::Pid(const std::string& service) const {
  const std::string text = Trim(ReadFile(services_dir + "/pids/" + service + ".pid"));
  if (text.empty()) return 0;
  const int pid = std::stoi(text);
  return Alive(pid) ? pid : 0;
}

void SystemEnv::Kill(const std::string& service, int signal) const {
  const int pid = Pid(service);
  if (pid == 0) return;
  kill(pid, signal);
  for (int i = 0; i < 100 && Alive(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void SystemEnv::StartServices() const {
  Run(source_dir + "/scripts/services.sh start --stack " + stack_dir + " --dir " + services_dir +
      " --build " + build_dir + " --frontend-port " +
      console_url.substr(console_url.rfind(':') + 1));
}

void SystemEnv::Stack(const std::string& verb, const std::string& component) const {
  Run(source_dir + "/scripts/stack.sh " + verb + " --dir " + stack_dir + " --only " + component);
}

std::string SystemEnv::ServiceUrl(const std::string& service) const {
  const std::string port = ServingPort(ReadFile(services_dir + "/logs/" + service + ".log"));
  if (port.empty()) throw std::runtime_error(service + " has not logged its port");
  return "http://127.0.0.1:" + port;
}

std::string SystemEnv::ExtraUrl(const std::string& name) const {
  const std::string port = ServingPort(ReadFile(services_dir + "/extra/" + name + ".log"));
  if (port.empty()) throw std::runtime_error("extra instance " + name + " has not logged its port");
  return "http://127.0.0.1:" + port;
}

int SystemEnv::StartExtra(const std::string& service, const std::string& name,
                          const std::vector<std::string>& env) const {
  const std::string dir = services_dir + "/extra";
  std::filesystem::create_directories(dir);
  const std::string log = dir + "/" + name + ".log";
  std::string vars = "MADE0_CONSOLE_URL=" + console_url;
  for (const auto& v : env) vars += " " + v;
  const std::string cmd = "set -a; . " + stack_dir + "/stack.env; set +a; " + vars + " " +
                          build_dir + "/services/" + service + "/made0-" + service + " > " + log +
                          " 2>&1 & echo $! > " + dir + "/" + name + ".pid";
  Run("bash -c '" + cmd + "'");
  const int pid = std::stoi(Trim(ReadFile(dir + "/" + name + ".pid")));
  // Ready once it logged its port and answers /readyz there.
  http::Client client;
  for (int i = 0; i < 300; ++i) {
    const std::string port = ServingPort(ReadFile(log));
    if (!port.empty()) {
      auto r = client.Send({.method = "GET", .url = "http://127.0.0.1:" + port + "/readyz"});
      if (r && r->status == 200) return pid;
    }
    if (!Alive(pid)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("extra instance " + name + " did not become ready; see " + log);
}

ConsoleClient::ConsoleClient(std::string base_url) : base_(std::move(base_url)) {}

std::optional<std::string> ConsoleClient::CookieValue(const std::string& name) const {
  auto it = cookies_.find(name);
  if (it == cookies_.end()) return std::nullopt;
  return it->second;
}

Result<http::ClientResponse> ConsoleClient::Send(http::ClientRequest req) {
  req.url = base_ + req.url;
  std::string cookie;
  for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
  auto r = client_.Send(req);
  if (!r) return r;
  for (const auto& [k, v] : r->headers) {
    if (strcasecmp(k.c_str(), "Set-Cookie") != 0) continue;
    const auto eq = v.find('=');
    const auto semi = v.find(';');
    const std::string name = v.substr(0, eq);
    const std::string value = v.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
    if (value.empty() || v.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
  return r;
}

void ConsoleClient::EnsureCsrf() {
  if (!cookies_.count("made0_csrf")) (void)Send({.method = "GET", .url = "/api/csrf"});
}

Result<http::ClientResponse> ConsoleClient::Get(const std::string& path) {
  return Send({.method = "GET", .url = path});
}

Result<http::ClientResponse> ConsoleClient::Post(const std::string& path,
                                                 const nlohmann::json& body) {
  EnsureCsrf();
  http::ClientRequest req{.method = "POST", .url = path};
  req.headers = {{"Content-Type", "application/json"},
                 {"X-CSRF-Token", cookies_.count("made0_csrf") ? cookies_["made0_csrf"] : ""}};
  req.body = body.dump();
  req.timeout = std::chrono::seconds(15);
  return Send(std::move(req));
}

std::vector<MailMessage> Maildir::For(const std::string& recipient) const {
  namespace fs = std::filesystem;
  std::vector<MailMessage> out;
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(dir_) / sub, ec)) {
      const std::string text = ReadFile(entry.path().string());
      MailMessage m;
      m.file = entry.path().string();
      m.body = text;
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line) && line != "\r" && !line.empty();) {
        line = Trim(line);
        if (line.rfind("To: ", 0) == 0) m.to = line.substr(4);
        if (line.rfind("Subject: ", 0) == 0) m.subject = line.substr(9);
      }
      if (m.to == "<" + recipient + ">" || m.to == recipient) out.push_back(std::move(m));
    }
  }
  return out;
}

std::vector<MailMessage> Maildir::WaitFor(const std::string& recipient, std::size_t count,
                                          std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<MailMessage> mails = For(recipient);
  while (mails.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    mails = For(recipient);
  }
  return mails;
}

std::optional<std::string> Maildir::TokenIn(const MailMessage& mail) {
  const auto at = mail.body.find("/verify?token=");
  if (at == std::string::npos) return std::nullopt;
  const auto start = at + 14;
  auto end = start;
  while (end < mail.body.size() && (std::isalnum(static_cast<unsigned char>(mail.body[end])) ||
                                    mail.body[end] == '-' || mail.body[end] == '_')) {
    ++end;
  }
  return mail.body.substr(start, end - start);
}

std::string UniqueEmail(const std::string& prefix) {
  SecureRandom rng;
  return prefix + "-" + RandomHex(rng, 6) + "@example.test";
}

}  // namespace made0::testing
