#include "made0/hostd/launch_plan.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace made0::hostd {
namespace {

constexpr std::size_t kMaxArgs = 256;

bool ValidEnvName(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  if (name.front() >= '0' && name.front() <= '9') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Result<UserData> ParseUserData(std::string_view text, const Image& image) {
  UserData out;
  if (text.empty()) return out;
  if (text.size() > kMaxUserDataBytes) {
    return Error::Invalid("user_data", "user_data must be at most 16384 bytes");
  }
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error::Invalid("user_data",
                          "user_data must be a JSON object like {\"args\": [...], \"env\": {...}}");
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "args" && key != "env" && key != "ports") {
      return Error::Invalid("user_data." + key,
                            "unknown user_data key " + key + " (expected args, env, ports)");
    }
  }
  if (doc.contains("args")) {
    const auto& args = doc["args"];
    if (!args.is_array() || args.size() > kMaxArgs) {
      return Error::Invalid("user_data.args", "args must be an array of at most 256 strings");
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (!args[i].is_string()) {
        return Error::Invalid("user_data.args[" + std::to_string(i) + "]", "must be a string");
      }
      out.args.push_back(args[i].get<std::string>());
    }
  }
  if (doc.contains("env")) {
    if (!doc["env"].is_object()) return Error::Invalid("user_data.env", "env must be an object");
    for (const auto& [k, v] : doc["env"].items()) {
      if (!ValidEnvName(k)) {
        return Error::Invalid("user_data.env." + k, "not a valid environment variable name");
      }
      if (!v.is_string()) return Error::Invalid("user_data.env." + k, "must be a string");
      out.env[k] = v.get<std::string>();
    }
  }
  if (doc.contains("ports")) {
    if (!doc["ports"].is_object()) {
      return Error::Invalid("user_data.ports", "ports must be an object of endpoint: port");
    }
    for (const auto& [k, v] : doc["ports"].items()) {
      const std::string field = "user_data.ports." + k;
      if (std::find(image.endpoints.begin(), image.endpoints.end(), k) == image.endpoints.end()) {
        return Error::Invalid(field, "image " + image.name + " has no endpoint " + k);
      }
      if (!v.is_number_integer() || v.get<long long>() < 1024 || v.get<long long>() > 65535) {
        return Error::Invalid(field, "a pinned port must be an integer in [1024, 65535]");
      }
      out.ports[k] = v.get<int>();
    }
  }
  return out;
}

Result<LaunchPlan> PlanLaunch(const Image& image, const std::string& binary, const UserData& user,
                              const TemplateVars& vars,
                              const std::map<std::string, std::string>& base_env) {
  LaunchPlan plan;
  plan.argv.push_back(binary);
  for (std::size_t i = 0; i < image.args.size(); ++i) {
    auto a = Expand(image.args[i], vars, "image.args[" + std::to_string(i) + "]");
    if (!a) return a.error();
    plan.argv.push_back(std::move(*a));
  }
  for (std::size_t i = 0; i < user.args.size(); ++i) {
    auto a = Expand(user.args[i], vars, "user_data.args[" + std::to_string(i) + "]");
    if (!a) return a.error();
    plan.argv.push_back(std::move(*a));
  }
  std::map<std::string, std::string> env = base_env;
  for (const auto& [k, v] : image.env) {
    auto e = Expand(v, vars, "image.env." + k);
    if (!e) return e.error();
    env[k] = std::move(*e);
  }
  for (const auto& [k, v] : user.env) {
    auto e = Expand(v, vars, "user_data.env." + k);
    if (!e) return e.error();
    env[k] = std::move(*e);
  }
  for (const auto& [k, v] : env) plan.env.push_back(k + "=" + v);
  return plan;
}

}  // namespace made0::hostd
