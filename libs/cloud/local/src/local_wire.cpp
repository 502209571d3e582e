#include "made0/cloud/local_wire.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include "made0/core/clock.hpp"

namespace made0::cloud::wire {
namespace {

using nlohmann::json;

Error Shape(const std::string& field, const std::string& what) {
  return {ErrorCode::kInternal, "unexpected response from hostd: " + field + " " + what, field};
}

// Reader pulls typed fields out of an object, remembering the first one that is wrong.
class Reader {
 public:
  explicit Reader(const json& j) : j_(j) {
    if (!j_.is_object()) error_ = Shape("body", "is not an object");
  }

  std::string String(const char* key, bool required = true) {
    if (error_) return {};
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      if (required) error_ = Shape(key, "is missing");
      return {};
    }
    if (!it->is_string()) {
      error_ = Shape(key, "is not a string");
      return {};
    }
    return it->get<std::string>();
  }

  int Int(const char* key) {
    if (error_) return 0;
    auto it = j_.find(key);
    if (it == j_.end() || !it->is_number_integer()) {
      error_ = Shape(key, "is not an integer");
      return 0;
    }
    return it->get<int>();
  }

  std::map<std::string, std::string> StringMap(const char* key) {
    std::map<std::string, std::string> out;
    if (error_) return out;
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return out;
    if (!it->is_object()) {
      error_ = Shape(key, "is not an object");
      return out;
    }
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        error_ = Shape(std::string(key) + "." + k, "is not a string");
        return out;
      }
      out[k] = v.get<std::string>();
    }
    return out;
  }

  const json* Array(const char* key) {
    if (error_) return nullptr;
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
      error_ = Shape(key, "is not an array");
      return nullptr;
    }
    return &*it;
  }

  void Fail(Error e) {
    if (!error_) error_ = std::move(e);
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  const json& j_;
  std::optional<Error> error_;
};

}  // namespace

json ToJson(const Vpc& v) { return {{"id", v.id}, {"cidr", v.cidr}, {"state", v.state}}; }

json ToJson(const Subnet& s) {
  return {{"id", s.id}, {"vpc_id", s.vpc_id}, {"az", s.az}, {"cidr", s.cidr}, {"state", s.state}};
}

json ToJson(const IngressRule& r) {
  json j = {{"protocol", r.protocol}, {"from_port", r.from_port}, {"to_port", r.to_port}};
  if (!r.source_cidr.empty()) j["source_cidr"] = r.source_cidr;
  if (!r.source_group_id.empty()) j["source_group_id"] = r.source_group_id;
  return j;
}

json ToJson(const SecurityGroup& g) {
  json rules = json::array();
  for (const auto& r : g.ingress) rules.push_back(ToJson(r));
  return {{"id", g.id}, {"vpc_id", g.vpc_id}, {"name", g.name}, {"ingress", rules}};
}

json ToJson(const Instance& i) {
  return {{"id", i.id},
          {"state", ToString(i.state)},
          {"state_reason", i.state_reason},
          {"region", i.region},
          {"az", i.az},
          {"subnet_id", i.subnet_id},
          {"image", i.image},
          {"instance_type", i.instance_type},
          {"private_ip", i.private_ip},
          {"tags", i.tags},
          {"endpoints", i.endpoints},
          {"launch_time", FormatRfc3339(i.launch_time)}};
}

json ToJson(const VpcSpec& s) {
  return {{"region", s.region},
          {"cidr", s.cidr},
          {"name", s.name},
          {"idempotency_token", s.idempotency_token}};
}

json ToJson(const SubnetSpec& s) {
  return {{"region", s.region}, {"vpc_id", s.vpc_id}, {"az", s.az},
          {"cidr", s.cidr},     {"name", s.name},     {"idempotency_token", s.idempotency_token}};
}

json ToJson(const SecurityGroupSpec& s) {
  return {{"region", s.region},
          {"vpc_id", s.vpc_id},
          {"name", s.name},
          {"description", s.description},
          {"idempotency_token", s.idempotency_token}};
}

json ToJson(const RunInstanceSpec& s) {
  return {{"region", s.region},
          {"az", s.az},
          {"subnet_id", s.subnet_id},
          {"image", s.image},
          {"instance_type", s.instance_type},
          {"private_ip", s.private_ip},
          {"security_group_ids", s.security_group_ids},
          {"tags", s.tags},
          {"user_data", s.user_data},
          {"idempotency_token", s.idempotency_token}};
}

Result<Vpc> VpcFromJson(const json& j) {
  Reader r(j);
  Vpc v{.id = r.String("id"), .cidr = r.String("cidr"), .state = r.String("state")};
  if (r.error()) return *r.error();
  return v;
}

Result<Subnet> SubnetFromJson(const json& j) {
  Reader r(j);
  Subnet s{.id = r.String("id"),
           .vpc_id = r.String("vpc_id"),
           .az = r.String("az"),
           .cidr = r.String("cidr"),
           .state = r.String("state")};
  if (r.error()) return *r.error();
  return s;
}

Result<IngressRule> IngressRuleFromJson(const json& j) {
  Reader r(j);
  IngressRule rule{.protocol = r.String("protocol"),
                   .from_port = r.Int("from_port"),
                   .to_port = r.Int("to_port"),
                   .source_cidr = r.String("source_cidr", false),
                   .source_group_id = r.String("source_group_id", false)};
  if (r.error()) return *r.error();
  return rule;
}

Result<SecurityGroup> SecurityGroupFromJson(const json& j) {
  Reader r(j);
  SecurityGroup g{.id = r.String("id"), .vpc_id = r.String("vpc_id"), .name = r.String("name")};
  if (const json* rules = r.Array("ingress")) {
    for (const auto& item : *rules) {
      auto rule = IngressRuleFromJson(item);
      if (!rule) return rule.error();
      g.ingress.push_back(std::move(*rule));
    }
  }
  if (r.error()) return *r.error();
  return g;
}

Result<Instance> InstanceFromJson(const json& j) {
  Reader r(j);
  Instance i;
  i.id = r.String("id");
  const std::string state = r.String("state");
  i.state_reason = r.String("state_reason", false);
  i.region = r.String("region");
  i.az = r.String("az");
  i.subnet_id = r.String("subnet_id", false);
  i.image = r.String("image");
  i.instance_type = r.String("instance_type", false);
  i.private_ip = r.String("private_ip", false);
  i.tags = r.StringMap("tags");
  i.endpoints = r.StringMap("endpoints");
  const std::string launch = r.String("launch_time", false);
  if (r.error()) return *r.error();
  auto parsed = ParseInstanceState(state);
  if (!parsed) return Shape("state", "is not an instance state: " + state);
  i.state = *parsed;
  if (!launch.empty()) {
    auto t = ParseRfc3339(launch);
    if (!t) return Shape("launch_time", "is not an RFC 3339 time: " + launch);
    i.launch_time = *t;
  }
  return i;
}

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  const std::string s(text);
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  long long micros = 0;
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() - 1 && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 6; ++d) micros *= 10;
  }
  if (pos != s.size() - 1) return std::nullopt;
  const std::time_t secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::microseconds(micros);
}

std::optional<ErrorCode> ParseErrorCode(std::string_view text) {
  static constexpr std::array kCodes = {
      ErrorCode::kMalformed, ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied,
      ErrorCode::kNotFound,  ErrorCode::kConflict,        ErrorCode::kGone,
      ErrorCode::kTooLarge,  ErrorCode::kInvalid,         ErrorCode::kRateLimited,
      ErrorCode::kInternal,  ErrorCode::kUnavailable};
  for (ErrorCode c : kCodes) {
    if (made0::ToString(c) == text) return c;
  }
  return std::nullopt;
}

Error ErrorFromResponse(int status, std::string_view body) {
  const auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const auto& e = j["error"];
    const std::string code = e.value("code", "");
    const std::string message = e.contains("message") && e["message"].is_string()
                                    ? e["message"].get<std::string>()
                                    : "hostd answered " + std::to_string(status);
    const std::string field =
        e.contains("field") && e["field"].is_string() ? e["field"].get<std::string>() : "";
    if (auto parsed = ParseErrorCode(code)) return {*parsed, message, field};
  }
  const std::string message =
      "hostd answered HTTP " + std::to_string(status) + ": " + std::string(body.substr(0, 200));
  switch (status) {
    case 400:
      return {ErrorCode::kMalformed, message, {}};
    case 401:
      return {ErrorCode::kUnauthenticated, message, {}};
    case 403:
      return {ErrorCode::kPermissionDenied, message, {}};
    case 404:
      return {ErrorCode::kNotFound, message, {}};
    case 409:
      return {ErrorCode::kConflict, message, {}};
    case 410:
      return {ErrorCode::kGone, message, {}};
    case 413:
      return {ErrorCode::kTooLarge, message, {}};
    case 429:
      return {ErrorCode::kRateLimited, message, {}};
    default:
      break;
  }
  if (status == 500 || status == 501) return {ErrorCode::kInternal, message, {}};
  if (status >= 500) return {ErrorCode::kUnavailable, message, {}};
  return {ErrorCode::kInvalid, message, {}};
}

}  // namespace made0::cloud::wire
