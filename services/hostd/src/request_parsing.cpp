#include "made0/hostd/request_parsing.hpp"

#include "made0/http/message.hpp"

namespace made0::hostd {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxString = 1024;
constexpr std::size_t kMaxUserData = 16 * 1024;

// Fields reads optional string fields, remembering the first error.
class Fields {
 public:
  explicit Fields(const json& body) : body_(body) {}

  std::string String(const char* field, std::size_t max = kMaxString) {
    if (error_) return {};
    auto v = http::OptionalString(body_, field, max);
    if (!v) {
      error_ = v.error();
      return {};
    }
    return v->value_or("");
  }

  std::vector<std::string> StringList(const char* field) {
    std::vector<std::string> out;
    if (error_ || !body_.contains(field) || body_[field].is_null()) return out;
    const auto& list = body_[field];
    if (!list.is_array() || list.size() > 64) {
      error_ = Error::Invalid(field, std::string(field) + " must be an array of strings");
      return out;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) {
        error_ =
            Error::Invalid(std::string(field) + "[" + std::to_string(i) + "]", "must be a string");
        return out;
      }
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }

  std::map<std::string, std::string> StringMap(const char* field) {
    std::map<std::string, std::string> out;
    if (error_ || !body_.contains(field) || body_[field].is_null()) return out;
    const auto& map = body_[field];
    if (!map.is_object()) {
      error_ = Error::Invalid(field, std::string(field) + " must be an object of strings");
      return out;
    }
    for (const auto& [k, v] : map.items()) {
      if (!v.is_string()) {
        error_ = Error::Invalid(std::string(field) + "." + k, "must be a string");
        return out;
      }
      out[k] = v.get<std::string>();
    }
    return out;
  }

  int Int(const char* field, const std::string& name) {
    if (error_ || !body_.contains(field) || body_[field].is_null()) return 0;
    const auto& v = body_[field];
    if (!v.is_number_integer() || v.get<long long>() < -1 || v.get<long long>() > 65535) {
      error_ = Error::Invalid(name, name + " must be an integer in [-1, 65535]");
      return 0;
    }
    return v.get<int>();
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  const json& body_;
  std::optional<Error> error_;
};

}  // namespace

Result<cloud::VpcSpec> ParseVpcSpec(const json& body) {
  Fields f(body);
  cloud::VpcSpec s{.region = f.String("region"),
                   .cidr = f.String("cidr"),
                   .name = f.String("name"),
                   .idempotency_token = f.String("idempotency_token")};
  if (f.error()) return *f.error();
  return s;
}

Result<cloud::SubnetSpec> ParseSubnetSpec(const json& body) {
  Fields f(body);
  cloud::SubnetSpec s{.region = f.String("region"),
                      .vpc_id = f.String("vpc_id"),
                      .az = f.String("az"),
                      .cidr = f.String("cidr"),
                      .name = f.String("name"),
                      .idempotency_token = f.String("idempotency_token")};
  if (f.error()) return *f.error();
  return s;
}

Result<cloud::SecurityGroupSpec> ParseSecurityGroupSpec(const json& body) {
  Fields f(body);
  cloud::SecurityGroupSpec s{.region = f.String("region"),
                             .vpc_id = f.String("vpc_id"),
                             .name = f.String("name"),
                             .description = f.String("description"),
                             .idempotency_token = f.String("idempotency_token")};
  if (f.error()) return *f.error();
  return s;
}

Result<std::vector<cloud::IngressRule>> ParseIngressRules(const json& body) {
  if (!body.contains("rules") || !body["rules"].is_array()) {
    return Error::Invalid("rules", "rules must be an array of rule objects");
  }
  std::vector<cloud::IngressRule> out;
  const auto& rules = body["rules"];
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string prefix = "rules[" + std::to_string(i) + "]";
    if (!rules[i].is_object()) return Error::Invalid(prefix, prefix + " must be an object");
    Fields f(rules[i]);
    cloud::IngressRule r{.protocol = f.String("protocol"),
                         .from_port = f.Int("from_port", prefix + ".from_port"),
                         .to_port = f.Int("to_port", prefix + ".to_port"),
                         .source_cidr = f.String("source_cidr"),
                         .source_group_id = f.String("source_group_id")};
    if (f.error()) {
      Error e = *f.error();
      if (e.field.rfind(prefix, 0) != 0) e.field = prefix + "." + e.field;
      return e;
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<cloud::RunInstanceSpec> ParseRunInstanceSpec(const json& body) {
  // user_data is a string on the wire; a JSON object is accepted too (handy with curl).
  json copy = body;
  if (copy.contains("user_data") && copy["user_data"].is_object()) {
    copy["user_data"] = copy["user_data"].dump();
  }
  Fields f(copy);
  cloud::RunInstanceSpec s{.region = f.String("region"),
                           .az = f.String("az"),
                           .subnet_id = f.String("subnet_id"),
                           .image = f.String("image"),
                           .instance_type = f.String("instance_type"),
                           .private_ip = f.String("private_ip"),
                           .security_group_ids = f.StringList("security_group_ids"),
                           .tags = f.StringMap("tags"),
                           .user_data = f.String("user_data", kMaxUserData),
                           .idempotency_token = f.String("idempotency_token")};
  if (f.error()) return *f.error();
  return s;
}

}  // namespace made0::hostd
