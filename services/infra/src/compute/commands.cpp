// Validation of the infra commands, their replies, and the EnsureCluster command (sagas.hpp).
#include <algorithm>
#include <cctype>

#include "made0/core/encoding.hpp"
#include "made0/core/log.hpp"
#include "made0/infra/compute/placement.hpp"
#include "made0/infra/compute/sagas.hpp"
#include "network_ensure.hpp"

namespace made0::infra::compute {
namespace {

constexpr std::size_t kMaxUserData = 16 * 1024;
constexpr std::size_t kMaxTags = 32;

Status OnlyFields(const nlohmann::json& body, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    if (key == "type" || key == "version") continue;  // the command envelope
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Error::Invalid(key, "unknown field '" + key + "'");
    }
  }
  return Status::Ok();
}

bool AllOf(std::string_view s, bool (*ok)(char)) { return std::all_of(s.begin(), s.end(), ok); }
bool LowerDigitDash(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool OwnerChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
         c == '@' || c == ':';
}
bool ImageChar(char c) { return LowerDigitDash(c) || c == '.' || c == '_'; }

// String reads a required string field and checks its characters.
Result<std::string> Text(const nlohmann::json& body, const char* field, std::size_t min,
                         std::size_t max, bool (*ok)(char), const char* rule) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null())
    return Error::Invalid(field, std::string(field) + " is required");
  if (!it->is_string()) return Error::Invalid(field, std::string(field) + " must be a string");
  const std::string v = it->get<std::string>();
  if (v.size() < min || v.size() > max || !AllOf(v, ok)) {
    return Error::Invalid(field, std::string(field) + " " + rule);
  }
  return v;
}

Status ValidClusterName(const std::string& name, const char* field) {
  if (!std::isalpha(static_cast<unsigned char>(name.front())) || name.back() == '-') {
    return Error::Invalid(field,
                          std::string(field) + " must start with a letter and not end with '-'");
  }
  return Status::Ok();
}

Result<std::string> RegionField(const nlohmann::json& body, const network::RegionSet& regions) {
  auto region =
      Text(body, "region", 1, 64, LowerDigitDash, "must be a region name such as us-east-1");
  if (!region) return region.error();
  if (regions.Find(*region) == nullptr) {
    std::string known;
    for (const network::Region& r : regions.regions())
      known += (known.empty() ? "" : ", ") + r.name;
    return Error::Invalid("region", "unknown region '" + *region + "' (known: " + known + ")");
  }
  return region;
}

Result<std::string> Optional(const nlohmann::json& body, const char* field, std::size_t max,
                             bool (*ok)(char), const char* rule) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::string();
  return Text(body, field, 1, max, ok, rule);
}

}  // namespace

Result<nlohmann::json> ValidateCreateInstance(const nlohmann::json& body,
                                              const network::RegionSet& regions) {
  if (!body.is_object()) return Error::Malformed("the body must be a JSON object");
  if (auto st = OnlyFields(body, {"owner", "cluster", "region", "availability_zone", "category",
                                  "image", "user_data", "tags"});
      !st) {
    return st.error();
  }
  auto owner =
      Text(body, "owner", 1, 128, OwnerChar, "must have 1-128 letters, digits or any of - _ . @ :");
  if (!owner) return owner.error();
  auto cluster = Text(body, "cluster", 2, 63, LowerDigitDash,
                      "must have 2-63 lowercase letters, digits or '-'");
  if (!cluster) return cluster.error();
  if (auto st = ValidClusterName(*cluster, "cluster"); !st) return st.error();
  auto region = RegionField(body, regions);
  if (!region) return region.error();
  auto az = Optional(body, "availability_zone", 64, LowerDigitDash, "must be a zone name");
  if (!az) return az.error();
  if (!az->empty() && !regions.Find(*region)->HasZone(*az)) {
    return Error::Invalid("availability_zone",
                          "region " + *region + " has no availability zone " + *az);
  }
  auto category_name = Optional(body, "category", 32, LowerDigitDash, "must be a category name");
  if (!category_name) return category_name.error();
  auto category = ResolveCategory(*category_name);
  if (!category) return category.error();
  auto image = Optional(body, "image", 64, ImageChar,
                        "must have 1-64 lowercase letters, digits or any of - . _");
  if (!image) return image.error();

  nlohmann::json user_data = nlohmann::json::object();
  if (auto it = body.find("user_data"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return Error::Invalid("user_data", "user_data must be a JSON object");
    if (it->dump().size() > kMaxUserData) {
      return Error::Invalid("user_data", "user_data must be at most 16 KiB");
    }
    user_data = *it;
  }
  nlohmann::json tags = nlohmann::json::object();
  if (auto it = body.find("tags"); it != body.end() && !it->is_null()) {
    if (!it->is_object() || it->size() > kMaxTags) {
      return Error::Invalid("tags", "tags must be an object of at most 32 string values");
    }
    for (const auto& [k, v] : it->items()) {
      if (k.empty() || k.size() > 128 || k.rfind("made0:", 0) == 0 || !v.is_string() ||
          v.get<std::string>().size() > 256) {
        return Error::Invalid("tags", "tag '" + k +
                                          "': keys have 1-128 characters and may not start "
                                          "with made0:, values are strings of at most 256");
      }
    }
    tags = *it;
  }
  return nlohmann::json{{"owner", *owner},
                        {"cluster", *cluster},
                        {"region", *region},
                        {"availability_zone", *az},
                        {"category", category->name},
                        {"image", image->empty() ? std::string("test") : *image},
                        {"user_data", user_data},
                        {"tags", tags}};
}

Result<nlohmann::json> ValidateTerminateInstance(const nlohmann::json& body) {
  if (!body.is_object()) return Error::Malformed("the body must be a JSON object");
  if (auto st = OnlyFields(body, {"instance_id"}); !st) return st.error();
  auto id = Text(
      body, "instance_id", 3, 64, [](char c) { return LowerDigitDash(c); },
      "must be an instance ID such as i-0123456789abcdef0");
  if (!id) return id.error();
  if (id->rfind("i-", 0) != 0) {
    return Error::Invalid("instance_id",
                          "instance_id must be an instance ID such as i-0123456789abcdef0");
  }
  return nlohmann::json{{"instance_id", *id}};
}

Result<nlohmann::json> ValidateEnsureCluster(const nlohmann::json& body,
                                             const network::RegionSet& regions) {
  if (!body.is_object()) return Error::Malformed("the body must be a JSON object");
  if (auto st = OnlyFields(body, {"owner", "name", "region"}); !st) return st.error();
  auto owner =
      Text(body, "owner", 1, 128, OwnerChar, "must have 1-128 letters, digits or any of - _ . @ :");
  if (!owner) return owner.error();
  auto name =
      Text(body, "name", 2, 63, LowerDigitDash, "must have 2-63 lowercase letters, digits or '-'");
  if (!name) return name.error();
  if (auto st = ValidClusterName(*name, "name"); !st) return st.error();
  auto region = RegionField(body, regions);
  if (!region) return region.error();
  return nlohmann::json{{"owner", *owner}, {"name", *name}, {"region", *region}};
}

nlohmann::json EnsureCluster(ComputeDeps& deps, const nlohmann::json& body) {
  auto input = ValidateEnsureCluster(body, deps.network.Regions());
  if (!input) return ErrorReply(input.error());
  const std::string owner = (*input)["owner"];
  const std::string name = (*input)["name"];
  const std::string region = (*input)["region"];
  auto fail = [](const Error& e) {
    nlohmann::json reply = ErrorReply(e);
    reply["retryable"] = cloud::IsRetryable(e) || e.code == ErrorCode::kInternal;
    return reply;
  };
  try {
    auto vpc = EnsureRegionVpc(deps.network, deps.provider, region, deps.vpc_name);
    if (!vpc) return fail(vpc.error());
    auto cluster = deps.instances.EnsureCluster(
        {.owner = owner, .name = name, .region = region, .vpc_id = vpc->id});
    if (!cluster) return fail(cluster.error());
    return {{"ok", true}, {"result", ToJson(*cluster)}};
  } catch (const std::exception& e) {  // Postgres down: the saga asks again later
    return fail(Error::Unavailable(std::string("cannot ensure the cluster: ") + e.what()));
  }
}

std::string SagaIdFor(std::string_view message_id) {
  return "saga-" + Sha256Hex(message_id).substr(0, 16);
}

nlohmann::json ReplyBody(const saga::FinishedSaga& finished, nlohmann::json result) {
  if (finished.status == saga::SagaStatus::kCompleted) {
    return {{"ok", true}, {"saga_id", finished.id}, {"result", std::move(result)}};
  }
  return {{"ok", false},
          {"saga_id", finished.id},
          {"status", std::string(saga::ToString(finished.status))},
          {"error", {{"code", "failed"}, {"message", finished.error}}}};
}

nlohmann::json ErrorReply(const Error& error) {
  nlohmann::json err = {{"code", std::string(ToString(error.code))}, {"message", error.message}};
  if (!error.field.empty()) err["field"] = error.field;
  return {{"ok", false}, {"error", err}};
}

Status PublishReply(amqp::Publisher& publisher, const saga::FinishedSaga& finished,
                    const nlohmann::json& body) {
  const std::string reply_to = finished.input.value("reply_to", "");
  if (reply_to.empty()) return Status::Ok();
  amqp::Message reply;
  reply.exchange = "";  // the default exchange routes to the queue named reply_to
  reply.routing_key = reply_to;
  reply.message_id = finished.id + ":reply";
  reply.correlation_id = finished.input.value("correlation_id", "");
  reply.type = finished.type + "Reply";
  reply.body = body.dump();
  Status st = publisher.Publish(reply);
  if (!st && amqp::IsUnroutable(st.error())) {
    // The caller's reply queue is gone (a CLI that gave up): nobody is left to answer.
    log::Warn("saga reply dropped: no reply queue",
              {{"saga_id", finished.id}, {"reply_to", reply_to}});
    return Status::Ok();
  }
  return st;
}

}  // namespace made0::infra::compute
