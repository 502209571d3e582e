#pragma once
// Support for whole-system tests: a console client that behaves like the browser (cookies and
// CSRF), the SMTP sink's maildir, and control of the running services and stack processes.
//
//   SystemEnv sys = SystemEnv::FromEnvironment();      // MADE0_SERVICES_DIR, MADE0_STACK_DIR
//   ConsoleClient console(sys.console_url);
//   auto r = console.Post("/api/signup", {{"email", email}, {"password", "password1"}});
//   Maildir mail(sys.maildir);
//   auto token = mail.WaitForToken(email, std::chrono::seconds(30));
//   sys.Kill("verification", SIGKILL);  sys.StartServices();

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/http/client.hpp"

namespace made0::testing {

struct SystemEnv {
  std::string services_dir;  // scripts/services.sh --dir
  std::string stack_dir;     // scripts/stack.sh --dir
  std::string source_dir;
  std::string build_dir;
  std::string console_url;  // from services_dir/console.url
  std::string maildir;      // MADE0_MAILDIR of the stack

  // FromEnvironment reads MADE0_SERVICES_DIR, MADE0_STACK_DIR, MADE0_SOURCE_DIR and
  // MADE0_BINARY_DIR (set by ctest); throws std::runtime_error when one is missing.
  static SystemEnv FromEnvironment();

  // Pid of a running service, or 0.
  int Pid(const std::string& service) const;
  // ServiceUrl is the base URL of a running service ("http://127.0.0.1:<port>"), from its log;
  // ExtraUrl the same for an instance started with StartExtra.
  std::string ServiceUrl(const std::string& service) const;
  std::string ExtraUrl(const std::string& name) const;
  // Kill sends a signal to a service and waits (up to 10 s) for it to exit.
  void Kill(const std::string& service, int signal) const;
  // StartServices starts whatever service is not running and waits for readiness.
  void StartServices() const;
  // Stack runs `scripts/stack.sh <verb> --dir stack_dir --only <component>`.
  void Stack(const std::string& verb, const std::string& component) const;
  // StartExtra starts one more instance of a service (its own log and PID file under
  // services_dir/extra), with extra environment variables ("NAME=value"); returns its PID once
  // it answers /readyz.
  int StartExtra(const std::string& service, const std::string& name,
                 const std::vector<std::string>& env = {}) const;
};

// ConsoleClient talks to the console's /api as the browser does: it keeps cookies and sends the
// CSRF token on state-changing requests.
class ConsoleClient {
 public:
  explicit ConsoleClient(std::string base_url);

  Result<http::ClientResponse> Get(const std::string& path);
  Result<http::ClientResponse> Post(const std::string& path, const nlohmann::json& body);
  Result<http::ClientResponse> Send(http::ClientRequest request);

  std::optional<std::string> CookieValue(const std::string& name) const;
  void ClearCookies() { cookies_.clear(); }

 private:
  void EnsureCsrf();

  std::string base_;
  http::Client client_;
  std::map<std::string, std::string> cookies_;
};

struct MailMessage {
  std::string to;
  std::string subject;
  std::string body;  // the whole raw message
  std::string file;
};

// Maildir reads the SMTP sink's maildir (new/ and cur/).
class Maildir {
 public:
  explicit Maildir(std::string dir) : dir_(std::move(dir)) {}

  std::vector<MailMessage> For(const std::string& recipient) const;
  // WaitFor waits until `count` mails to recipient exist; returns them (fewer on timeout).
  std::vector<MailMessage> WaitFor(const std::string& recipient, std::size_t count,
                                   std::chrono::milliseconds timeout) const;
  // TokenIn extracts the token of the first /verify?token= link in a mail.
  static std::optional<std::string> TokenIn(const MailMessage& mail);

 private:
  std::string dir_;
};

// UniqueEmail returns prefix-<random>@example.test.
std::string UniqueEmail(const std::string& prefix);

}  // namespace made0::testing
