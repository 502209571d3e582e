#include "made0/hostd/cloud_api.hpp"

#include "made0/cloud/local_wire.hpp"
#include "made0/hostd/ids.hpp"
#include "made0/hostd/request_parsing.hpp"

namespace made0::hostd {
namespace {

namespace wire = cloud::wire;
using http::Request;
using http::Response;

template <typename T>
Response CreatedJson(const Result<Created<T>>& r) {
  if (!r) return Response::Error(r.error());
  return Response::Json(r->created ? 201 : 200, wire::ToJson(r->value));
}

std::string QueryOr(const Request& req, std::string_view name) {
  auto v = req.Query(name);
  return v ? std::string(*v) : std::string();
}

// InstanceIdParam reads {id} and checks its shape, so a typo is a 422, not a 404.
Result<std::string> InstanceIdParam(const Request& req) {
  auto id = req.PathParam("id");
  if (!id || !IsCloudId("i", *id)) {
    return Error::Invalid("id", "InvalidInstanceID.Malformed: \"" + std::string(id.value_or("")) +
                                    "\" is not an instance ID (i- and 17 hex digits)");
  }
  return std::string(*id);
}

}  // namespace

void CloudApi::AddRoutes(http::Router& router) {
  router.Add("POST", "/v1/vpcs", [this](Request& r) { return CreateVpc(r); });
  router.Add("POST", "/v1/subnets", [this](Request& r) { return CreateSubnet(r); });
  router.Add("POST", "/v1/security-groups", [this](Request& r) { return CreateSecurityGroup(r); });
  router.Add("POST", "/v1/security-groups/{id}/ingress",
             [this](Request& r) { return AuthorizeIngress(r); });
  router.Add("POST", "/v1/instances", [this](Request& r) { return RunInstance(r); });
  router.Add("GET", "/v1/instances", [this](Request& r) { return DescribeInstances(r); });
  router.Add("GET", "/v1/instances/{id}", [this](Request& r) { return GetInstance(r); });
  router.Add("DELETE", "/v1/instances/{id}", [this](Request& r) { return TerminateInstance(r); });
  router.Add("POST", "/v1/instances/{id}/kill", [this](Request& r) { return KillInstance(r); });
  router.Add("POST", "/v1/zones/{az}/down", [this](Request& r) { return SetZone(r, false); });
  router.Add("POST", "/v1/zones/{az}/up", [this](Request& r) { return SetZone(r, true); });
  router.Add("GET", "/v1/zones", [this](Request&) {
    return Response::Json(200, {{"regions", cloud_.ZoneStates()}});
  });
  router.Add("GET", "/v1/images", [this](Request&) {
    nlohmann::json images = nlohmann::json::array();
    for (const auto& [name, image] : cloud_.catalog()) images.push_back(ImageJson(image));
    return Response::Json(200, {{"images", images}});
  });
}

Response CloudApi::CreateVpc(Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return Response::Error(body.error());
  auto spec = ParseVpcSpec(*body);
  if (!spec) return Response::Error(spec.error());
  return CreatedJson(cloud_.CreateVpc(*spec));
}

Response CloudApi::CreateSubnet(Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return Response::Error(body.error());
  auto spec = ParseSubnetSpec(*body);
  if (!spec) return Response::Error(spec.error());
  return CreatedJson(cloud_.CreateSubnet(*spec));
}

Response CloudApi::CreateSecurityGroup(Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return Response::Error(body.error());
  auto spec = ParseSecurityGroupSpec(*body);
  if (!spec) return Response::Error(spec.error());
  return CreatedJson(cloud_.CreateSecurityGroup(*spec));
}

Response CloudApi::AuthorizeIngress(Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return Response::Error(body.error());
  auto region = http::RequireString(*body, "region", 64);
  if (!region) return Response::Error(region.error());
  auto rules = ParseIngressRules(*body);
  if (!rules) return Response::Error(rules.error());
  const std::string id(req.PathParam("id").value_or(""));
  if (!IsCloudId("sg", id)) {
    return Response::Error(Error::Invalid("id", "\"" + id + "\" is not a security group ID"));
  }
  auto group = cloud_.AuthorizeIngress(*region, id, *rules);
  if (!group) return Response::Error(group.error());
  return Response::Json(200, wire::ToJson(*group));
}

Response CloudApi::RunInstance(Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return Response::Error(body.error());
  auto spec = ParseRunInstanceSpec(*body);
  if (!spec) return Response::Error(spec.error());
  return CreatedJson(cloud_.RunInstance(*spec));
}

Response CloudApi::DescribeInstances(Request& req) {
  std::vector<std::string> ids;
  const std::string list = QueryOr(req, "ids");
  std::size_t start = 0;
  while (start < list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string id = list.substr(start, end - start);
    start = end + 1;
    if (id.empty()) continue;
    if (!IsCloudId("i", id)) {
      return Response::Error(Error::Invalid(
          "ids", "InvalidInstanceID.Malformed: \"" + id + "\" is not an instance ID"));
    }
    ids.push_back(std::move(id));
  }
  if (ids.size() > 1000) return Response::Error(Error::Invalid("ids", "at most 1000 IDs"));
  auto instances = cloud_.DescribeInstances(QueryOr(req, "region"), ids);
  if (!instances) return Response::Error(instances.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : *instances) out.push_back(wire::ToJson(i));
  return Response::Json(200, {{"instances", out}});
}

Response CloudApi::GetInstance(Request& req) {
  auto id = InstanceIdParam(req);
  if (!id) return Response::Error(id.error());
  auto instances = cloud_.DescribeInstances("", {*id});
  if (!instances) return Response::Error(instances.error());
  return Response::Json(200, wire::ToJson(instances->front()));
}

Response CloudApi::TerminateInstance(Request& req) {
  auto id = InstanceIdParam(req);
  if (!id) return Response::Error(id.error());
  auto inst = cloud_.TerminateInstance(QueryOr(req, "region"), *id);
  if (!inst) return Response::Error(inst.error());
  return Response::Json(200, wire::ToJson(*inst));
}

Response CloudApi::KillInstance(Request& req) {
  auto id = InstanceIdParam(req);
  if (!id) return Response::Error(id.error());
  auto inst = cloud_.KillInstance(*id);
  if (!inst) return Response::Error(inst.error());
  return Response::Json(200, wire::ToJson(*inst));
}

Response CloudApi::SetZone(Request& req, bool up) {
  const std::string az(req.PathParam("az").value_or(""));
  if (Status s = cloud_.SetZoneUp(az, up); !s) return Response::Error(s.error());
  return Response::Json(200, {{"az", az}, {"up", up}});
}

}  // namespace made0::hostd
