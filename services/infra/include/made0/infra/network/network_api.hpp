#pragma once
// The infra service's HTTP API for networks (internal; made0ctl and the console reach it):
//
//   GET    /v1/regions                          -> 200 {"regions":[{"name","primary","pool",
//                                                                   "availability_zones"}]}
//   GET    /v1/vpcs[?region=]                   -> 200 {"vpcs":[vpc]}
//   POST   /v1/vpcs {"region","name","cidr"? | "prefix_length"?}          -> 201 vpc
//   GET    /v1/vpcs/{id}                        -> 200 vpc | 404
//   DELETE /v1/vpcs/{id}                        -> 204 | 404 | 409 (addresses in use)
//   GET    /v1/subnets[?vpc_id=]                -> 200 {"subnets":[subnet]}
//   POST   /v1/subnets {"vpc_id","availability_zone","cidr"? | "prefix_length"?,"name"?}
//                                               -> 201 subnet
//   GET    /v1/subnets/{id}                     -> 200 subnet | 404
//   DELETE /v1/subnets/{id}                     -> 204 | 404 | 409 (addresses in use)
//   GET    /v1/subnets/{id}/addresses           -> 200 {"addresses":[{"address","owner",...}]}
//   GET    /v1/security-groups[?vpc_id=]        -> 200 {"security_groups":[group]}
//   POST   /v1/security-groups {"vpc_id","name","description"?}           -> 201 group
//   GET    /v1/security-groups/{id}             -> 200 group | 404
//   POST   /v1/security-groups/{id}/rules {"protocol","from_port"?,"to_port"?,
//          "source_cidr"? | "source_group_id"?} -> 201 rule (new) | 200 rule (already there)
//
// Errors follow the project's convention ({"error":{"code","message","field"}}): 400 for a body
// that is not a JSON object, 422 for a bad value (naming the field), 404, 409 for overlaps,
// exhausted pools, duplicate names and objects in use, 503 when Postgres is down.
//
//   NetworkApi api(store);
//   api.AddRoutes(router);            // the service main mounts it beside the others

#include "made0/http/router.hpp"
#include "made0/infra/network/network_store.hpp"

namespace made0::infra::network {

class NetworkApi {
 public:
  explicit NetworkApi(NetworkStore& store) : store_(store) {}

  void AddRoutes(http::Router& router);

  http::Response ListRegions(http::Request& req);
  http::Response ListVpcs(http::Request& req);
  http::Response CreateVpc(http::Request& req);
  http::Response GetVpc(http::Request& req);
  http::Response DeleteVpc(http::Request& req);
  http::Response ListSubnets(http::Request& req);
  http::Response CreateSubnet(http::Request& req);
  http::Response GetSubnet(http::Request& req);
  http::Response DeleteSubnet(http::Request& req);
  http::Response ListAddresses(http::Request& req);
  http::Response ListSecurityGroups(http::Request& req);
  http::Response CreateSecurityGroup(http::Request& req);
  http::Response GetSecurityGroup(http::Request& req);
  http::Response AddIngressRule(http::Request& req);

 private:
  NetworkStore& store_;
};

}  // namespace made0::infra::network
