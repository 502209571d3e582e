#pragma once
// CloudApi: hostd's HTTP API over LocalCloud. JSON bodies in the wire format of
// made0/cloud/local_wire.hpp; errors as {"error":{"code","message","field"}} with made0's statuses
// (422 names the field at fault; 404 InvalidInstanceID.NotFound; 409 IdempotentParameterMismatch;
// 503 InsufficientInstanceCapacity while an AZ is down).
//
//   POST   /v1/vpcs                        {region, cidr, name, idempotency_token} -> 201 | 200
//   POST   /v1/subnets                     {region, vpc_id, az, cidr, name, idempotency_token}
//   POST   /v1/security-groups             {region, vpc_id, name, description, idempotency_token}
//   POST   /v1/security-groups/{id}/ingress {region, rules: [{protocol, from_port, to_port,
//                                           source_cidr | source_group_id}]}       -> 200 group
//   POST   /v1/instances                   RunInstanceSpec as JSON                   -> 201 | 200
//   GET    /v1/instances?region=&ids=a,b   -> {"instances": [...]}
//   GET    /v1/instances/{id}              -> the instance
//   DELETE /v1/instances/{id}?region=      -> the instance (shutting-down, then terminated)
//   POST   /v1/instances/{id}/kill         failure injection: SIGKILL, terminated with a reason
//   POST   /v1/zones/{az}/down | /up       failure injection: an AZ's instances die; no capacity
//   GET    /v1/zones                       -> {"regions": {"us-east-1": {"us-east-1a": true}}}
//   GET    /v1/images                      -> {"images": [...]}
//
// A create answers 201 when it created the object and 200 when an earlier call with the same
// idempotency token did.

#include "made0/hostd/local_cloud.hpp"
#include "made0/http/router.hpp"

namespace made0::hostd {

class CloudApi {
 public:
  explicit CloudApi(LocalCloud& cloud) : cloud_(cloud) {}
  void AddRoutes(http::Router& router);

 private:
  http::Response CreateVpc(http::Request& req);
  http::Response CreateSubnet(http::Request& req);
  http::Response CreateSecurityGroup(http::Request& req);
  http::Response AuthorizeIngress(http::Request& req);
  http::Response RunInstance(http::Request& req);
  http::Response DescribeInstances(http::Request& req);
  http::Response GetInstance(http::Request& req);
  http::Response TerminateInstance(http::Request& req);
  http::Response KillInstance(http::Request& req);
  http::Response SetZone(http::Request& req, bool up);

  LocalCloud& cloud_;
};

}  // namespace made0::hostd
