#pragma once
// Configuration from environment variables (prefix MADE0_), each read with a documented default.
// The reader records every variable it was asked for, so a service can print its whole
// configuration surface (`<service> --help-config`) and the README can list it.
//
//   ProcessEnv env;
//   ConfigReader r(env);
//   int port = r.Int("MADE0_HTTP_PORT", 0, 0, 65535, "HTTP port; 0 picks a free one");
//   auto ttl = r.Duration("MADE0_LINK_TTL", std::chrono::hours(1), "verification link lifetime");
//   if (auto st = r.Finish(); !st) Fatal(st.error().message);   // names the bad variable

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"

namespace made0 {

// Env is where configuration comes from; injected so tests can supply a map.
class Env {
 public:
  virtual ~Env() = default;
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

class ProcessEnv final : public Env {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
};

class MapEnv final : public Env {
 public:
  MapEnv(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}
  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

// ConfigVar documents one variable: its name, its default as text, what it does.
struct ConfigVar {
  std::string name;
  std::string default_value;
  std::string doc;
};

// ParseDuration accepts an integer followed by ms, s, m or h ("500ms", "10s", "1h").
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

class ConfigReader {
 public:
  explicit ConfigReader(const Env& env) : env_(env) {}

  std::string String(std::string_view name, std::string_view def, std::string_view doc);
  int Int(std::string_view name, int def, int min, int max, std::string_view doc);
  bool Bool(std::string_view name, bool def, std::string_view doc);
  std::chrono::milliseconds Duration(std::string_view name, std::chrono::milliseconds def,
                                     std::string_view doc);

  const std::vector<ConfigVar>& Vars() const { return vars_; }
  // Finish returns the first invalid variable as an Invalid error naming it.
  Status Finish() const;

 private:
  std::optional<std::string> Lookup(std::string_view name, std::string def_text,
                                    std::string_view doc);
  void Fail(std::string_view name, std::string message);

  const Env& env_;
  std::vector<ConfigVar> vars_;
  std::optional<Error> error_;
};

// FormatConfigHelp renders vars as an aligned table for --help-config.
std::string FormatConfigHelp(const std::vector<ConfigVar>& vars);

}  // namespace made0
