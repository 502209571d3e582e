#include "made0/ctl/endpoint.hpp"

#include <fstream>
#include <sstream>

#include "registry_endpoint.hpp"

namespace made0::ctl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::string> NonEmpty(const Env& env, std::string_view name) {
  auto v = env.Get(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

class FixedEndpoint final : public Endpoint {
 public:
  FixedEndpoint(std::string url, std::string source)
      : url_(std::move(url)), source_(std::move(source)) {}

  // Endpoint
  Result<std::string> BaseUrl() override { return url_; }
  bool Unreachable(const std::string&) override { return false; }
  std::string Where(const std::string& base_url) const override {
    return base_url + " (from " + source_ + ")";
  }

 private:
  std::string url_;
  std::string source_;
};

}  // namespace

std::map<std::string, std::string, std::less<>> ParseEnvFile(std::string_view text) {
  std::map<std::string, std::string, std::less<>> vars;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = Trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    const std::string_view name = Trim(line.substr(0, eq));
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    vars[std::string(name)] = std::string(value);
  }
  return vars;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

std::string NormalizeBaseUrl(std::string_view url) {
  std::string out(Trim(url));
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (out.find("://") == std::string::npos) out = "http://" + out;
  return out;
}

Result<EndpointChoice> ChooseEndpoint(const std::optional<std::string>& server_flag, const Env& env,
                                      const FileReader& read_file) {
  using K = EndpointChoice::Kind;
  if (server_flag && !server_flag->empty()) {
    return EndpointChoice{K::kUrl, NormalizeBaseUrl(*server_flag), "--server"};
  }
  if (auto url = NonEmpty(env, "MADE0_INFRA_URL")) {
    return EndpointChoice{K::kUrl, NormalizeBaseUrl(*url), "MADE0_INFRA_URL"};
  }
  if (auto redis = NonEmpty(env, "MADE0_REDIS_URL")) {
    return EndpointChoice{K::kRegistry, *redis, "MADE0_REDIS_URL"};
  }
  const auto stack_env = NonEmpty(env, "MADE0_STACK_ENV");
  const std::string path =
      stack_env ? *stack_env
                : NonEmpty(env, "MADE0_DATA_DIR").value_or(".data") + "/stack/stack.env";
  const std::string looked = "no --server, MADE0_INFRA_URL or MADE0_REDIS_URL";
  const std::string hint = " (start the stack with scripts/up.sh, or pass --server URL)";
  const auto text = read_file(path);
  if (!text) {
    return Error::Unavailable("cannot find infra: " + looked + ", and no stack environment at " +
                              path + hint);
  }
  const auto vars = ParseEnvFile(*text);
  const auto redis = vars.find("MADE0_REDIS_URL");
  if (redis == vars.end() || redis->second.empty()) {
    return Error::Unavailable("cannot find infra: " + looked + ", and " + path +
                              " has no MADE0_REDIS_URL" + hint);
  }
  return EndpointChoice{K::kRegistry, redis->second, "MADE0_REDIS_URL in " + path};
}

Result<std::unique_ptr<Endpoint>> MakeEndpoint(const EndpointChoice& choice) {
  if (choice.kind == EndpointChoice::Kind::kUrl) {
    return std::unique_ptr<Endpoint>(std::make_unique<FixedEndpoint>(choice.url, choice.source));
  }
  return MakeRegistryEndpoint(choice.url, choice.source);
}

}  // namespace made0::ctl
