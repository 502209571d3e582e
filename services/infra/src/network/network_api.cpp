#include "made0/infra/network/network_api.hpp"

#include "made0/infra/network/json.hpp"
#include "made0/runtime/guard.hpp"

namespace made0::infra::network {
namespace {

std::optional<std::string> QueryParam(const http::Request& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::nullopt;
  return std::string(*v);
}

std::string PathId(const http::Request& req) {
  return std::string(req.PathParam("id").value_or(""));
}

// Parsed reads the body as a JSON object and converts it with `from`.
template <class From>
auto Parsed(const http::Request& req, From from) -> decltype(from(nlohmann::json())) {
  auto body = http::ParseJsonBody(req);
  if (!body) return body.error();
  return from(*body);
}

template <class T, class ToJson>
http::Response ListOf(const Result<std::vector<T>>& items, const char* key, ToJson to_json) {
  if (!items) return http::Response::Error(items.error());
  nlohmann::json list = nlohmann::json::array();
  for (const T& item : *items) list.push_back(to_json(item));
  return http::Response::Json(200, {{key, list}});
}

}  // namespace

void NetworkApi::AddRoutes(http::Router& router) {
  const auto route = [&](const char* method, const char* pattern,
                         http::Response (NetworkApi::*handler)(http::Request&)) {
    router.Add(method, pattern,
               runtime::Guard([this, handler](http::Request& r) { return (this->*handler)(r); }));
  };
  route("GET", "/v1/regions", &NetworkApi::ListRegions);
  route("GET", "/v1/vpcs", &NetworkApi::ListVpcs);
  route("POST", "/v1/vpcs", &NetworkApi::CreateVpc);
  route("GET", "/v1/vpcs/{id}", &NetworkApi::GetVpc);
  route("DELETE", "/v1/vpcs/{id}", &NetworkApi::DeleteVpc);
  route("GET", "/v1/subnets", &NetworkApi::ListSubnets);
  route("POST", "/v1/subnets", &NetworkApi::CreateSubnet);
  route("GET", "/v1/subnets/{id}", &NetworkApi::GetSubnet);
  route("DELETE", "/v1/subnets/{id}", &NetworkApi::DeleteSubnet);
  route("GET", "/v1/subnets/{id}/addresses", &NetworkApi::ListAddresses);
  route("GET", "/v1/security-groups", &NetworkApi::ListSecurityGroups);
  route("POST", "/v1/security-groups", &NetworkApi::CreateSecurityGroup);
  route("GET", "/v1/security-groups/{id}", &NetworkApi::GetSecurityGroup);
  route("POST", "/v1/security-groups/{id}/rules", &NetworkApi::AddIngressRule);
}

http::Response NetworkApi::ListRegions(http::Request&) {
  nlohmann::json list = nlohmann::json::array();
  for (const Region& r : store_.Regions().regions()) list.push_back(RegionJson(r));
  return http::Response::Json(200, {{"regions", list}});
}

http::Response NetworkApi::ListVpcs(http::Request& req) {
  auto region = QueryParam(req, "region");
  if (region && store_.Regions().Find(*region) == nullptr) {
    return http::Response::Error(Error::Invalid("region", "unknown region '" + *region + "'"));
  }
  return ListOf(Result<std::vector<Vpc>>(store_.ListVpcs(region)), "vpcs", VpcJson);
}

http::Response NetworkApi::CreateVpc(http::Request& req) {
  auto body = Parsed(req, CreateVpcRequestFrom);
  if (!body) return http::Response::Error(body.error());
  auto vpc = store_.CreateVpc(*body);
  if (!vpc) return http::Response::Error(vpc.error());
  return http::Response::Json(201, VpcJson(*vpc));
}

http::Response NetworkApi::GetVpc(http::Request& req) {
  auto vpc = store_.GetVpc(PathId(req));
  if (!vpc) return http::Response::Error(vpc.error());
  return http::Response::Json(200, VpcJson(*vpc));
}

http::Response NetworkApi::DeleteVpc(http::Request& req) {
  if (auto st = store_.DeleteVpc(PathId(req)); !st) return http::Response::Error(st.error());
  return http::Response::NoContent();
}

http::Response NetworkApi::ListSubnets(http::Request& req) {
  return ListOf(store_.ListSubnets(QueryParam(req, "vpc_id")), "subnets", SubnetJson);
}

http::Response NetworkApi::CreateSubnet(http::Request& req) {
  auto body = Parsed(req, CreateSubnetRequestFrom);
  if (!body) return http::Response::Error(body.error());
  auto subnet = store_.CreateSubnet(*body);
  if (!subnet) return http::Response::Error(subnet.error());
  return http::Response::Json(201, SubnetJson(*subnet));
}

http::Response NetworkApi::GetSubnet(http::Request& req) {
  auto subnet = store_.GetSubnet(PathId(req));
  if (!subnet) return http::Response::Error(subnet.error());
  return http::Response::Json(200, SubnetJson(*subnet));
}

http::Response NetworkApi::DeleteSubnet(http::Request& req) {
  if (auto st = store_.DeleteSubnet(PathId(req)); !st) return http::Response::Error(st.error());
  return http::Response::NoContent();
}

http::Response NetworkApi::ListAddresses(http::Request& req) {
  return ListOf(store_.ListAddresses(PathId(req)), "addresses", LeaseJson);
}

http::Response NetworkApi::ListSecurityGroups(http::Request& req) {
  return ListOf(store_.ListSecurityGroups(QueryParam(req, "vpc_id")), "security_groups",
                SecurityGroupJson);
}

http::Response NetworkApi::CreateSecurityGroup(http::Request& req) {
  auto body = Parsed(req, CreateSecurityGroupRequestFrom);
  if (!body) return http::Response::Error(body.error());
  auto group = store_.CreateSecurityGroup(*body);
  if (!group) return http::Response::Error(group.error());
  return http::Response::Json(201, SecurityGroupJson(*group));
}

http::Response NetworkApi::GetSecurityGroup(http::Request& req) {
  auto group = store_.GetSecurityGroup(PathId(req));
  if (!group) return http::Response::Error(group.error());
  return http::Response::Json(200, SecurityGroupJson(*group));
}

http::Response NetworkApi::AddIngressRule(http::Request& req) {
  auto body = Parsed(req, IngressRuleRequestFrom);
  if (!body) return http::Response::Error(body.error());
  auto added = store_.AddIngressRule(PathId(req), *body);
  if (!added) return http::Response::Error(added.error());
  return http::Response::Json(added->created ? 201 : 200, RuleJson(added->rule));
}

}  // namespace made0::infra::network
