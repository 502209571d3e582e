#include "made0/hostd/records.hpp"

#include "made0/cloud/local_wire.hpp"

namespace made0::hostd {
namespace {

using nlohmann::json;
namespace wire = cloud::wire;

void PutOrigin(json& j, const Origin& c) {
  j["origin"] = {{"region", c.region}, {"token", c.token}, {"fingerprint", c.fingerprint}};
}

Result<Origin> GetOrigin(const json& j) {
  if (!j.contains("origin") || !j["origin"].is_object()) {
    return Error::Internal("stored record has no \"origin\" object");
  }
  const auto& c = j["origin"];
  try {
    return Origin{c.at("region").get<std::string>(), c.at("token").get<std::string>(),
                  c.at("fingerprint").get<std::string>()};
  } catch (const json::exception& e) {
    return Error::Internal(std::string("stored record: ") + e.what());
  }
}

std::optional<SystemTime> GetTime(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return wire::ParseRfc3339(j[key].get<std::string>());
}

}  // namespace

json ToStored(const VpcRecord& r) {
  json j = wire::ToJson(r.vpc);
  j["kind"] = "vpc";
  j["name"] = r.name;
  PutOrigin(j, r.origin);
  return j;
}

json ToStored(const SubnetRecord& r) {
  json j = wire::ToJson(r.subnet);
  j["kind"] = "subnet";
  j["name"] = r.name;
  PutOrigin(j, r.origin);
  return j;
}

json ToStored(const SecurityGroupRecord& r) {
  json j = wire::ToJson(r.group);
  j["kind"] = "security_group";
  j["description"] = r.description;
  PutOrigin(j, r.origin);
  return j;
}

json ToStored(const InstanceRecord& r) {
  json j = wire::ToJson(r.instance);
  j["kind"] = "instance";
  j["security_group_ids"] = r.security_group_ids;
  j["user_data"] = r.user_data;
  j["ports"] = r.ports;
  j["pid"] = r.process.pid;
  j["start_ticks"] = r.process.start_ticks;
  if (r.shutdown_requested_at) j["shutdown_requested_at"] = FormatRfc3339(*r.shutdown_requested_at);
  if (r.terminated_at) j["terminated_at"] = FormatRfc3339(*r.terminated_at);
  PutOrigin(j, r.origin);
  return j;
}

Result<VpcRecord> VpcFromStored(const json& j) {
  auto vpc = wire::VpcFromJson(j);
  if (!vpc) return vpc.error();
  auto origin = GetOrigin(j);
  if (!origin) return origin.error();
  return VpcRecord{std::move(*vpc), j.value("name", ""), std::move(*origin)};
}

Result<SubnetRecord> SubnetFromStored(const json& j) {
  auto subnet = wire::SubnetFromJson(j);
  if (!subnet) return subnet.error();
  auto origin = GetOrigin(j);
  if (!origin) return origin.error();
  return SubnetRecord{std::move(*subnet), j.value("name", ""), std::move(*origin)};
}

Result<SecurityGroupRecord> SecurityGroupFromStored(const json& j) {
  auto group = wire::SecurityGroupFromJson(j);
  if (!group) return group.error();
  auto origin = GetOrigin(j);
  if (!origin) return origin.error();
  return SecurityGroupRecord{std::move(*group), j.value("description", ""), std::move(*origin)};
}

Result<InstanceRecord> InstanceFromStored(const json& j) {
  auto inst = wire::InstanceFromJson(j);
  if (!inst) return inst.error();
  auto origin = GetOrigin(j);
  if (!origin) return origin.error();
  InstanceRecord r;
  r.instance = std::move(*inst);
  r.origin = std::move(*origin);
  try {
    r.security_group_ids = j.value("security_group_ids", std::vector<std::string>{});
    r.user_data = j.value("user_data", "");
    r.ports = j.value("ports", std::map<std::string, int>{});
    r.process.pid = j.value("pid", 0);
    r.process.start_ticks = j.value("start_ticks", std::uint64_t{0});
  } catch (const json::exception& e) {
    return Error::Internal(std::string("stored instance: ") + e.what());
  }
  r.shutdown_requested_at = GetTime(j, "shutdown_requested_at");
  r.terminated_at = GetTime(j, "terminated_at");
  return r;
}

}  // namespace made0::hostd
