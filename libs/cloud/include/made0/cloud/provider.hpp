#pragma once
// Provider: the one interface made0 drives a cloud through (ARCHITECTURE.md, "Cloud providers").
// Two implementations: `local` (hostd runs instances as real processes on this machine) and `aws`
// (the EC2 Query API over libcurl with SigV4).
//
//   std::unique_ptr<cloud::Provider> p = ...;
//   auto inst = p->RunInstance({.region = "us-east-1", .az = "us-east-1a", .subnet_id = subnet,
//                               .image = "etcd", .private_ip = "172.16.128.4",
//                               .idempotency_token = saga_id + ":runInstance"});
//   if (!inst && cloud::IsRetryable(inst.error())) ...  // back off and call again, same token
//
// Every mutating call takes an idempotency token: calling again with the same token (after a
// timeout, a crash, a retry) returns the object the first call created instead of creating a
// second one, as EC2's ClientToken does. Errors: kUnavailable and kRateLimited are transient (the
// caller retries with the same token); kInvalid, kNotFound, kConflict are permanent. The message
// names the provider's own error code where it has one ("InvalidSubnetID.NotFound: ...").

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "made0/core/status.hpp"

namespace made0::cloud {

// IsRetryable: the call may succeed if repeated later with the same idempotency token.
inline bool IsRetryable(const Error& e) {
  return e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kRateLimited;
}

struct VpcSpec {
  std::string region;
  std::string cidr;  // "172.16.0.0/16"
  std::string name;  // tag Name
  std::string idempotency_token;
};

struct Vpc {
  std::string id;  // provider's ID: "vpc-0123456789abcdef0"
  std::string cidr;
  std::string state;  // "pending" | "available"
};

struct SubnetSpec {
  std::string region;
  std::string vpc_id;  // provider's VPC ID
  std::string az;      // "us-east-1a"
  std::string cidr;
  std::string name;
  std::string idempotency_token;
};

struct Subnet {
  std::string id;  // "subnet-..."
  std::string vpc_id;
  std::string az;
  std::string cidr;
  std::string state;
};

// IngressRule admits traffic to a group's instances: protocol "tcp" | "udp" | "icmp" | "-1" (all),
// a port range (inclusive; ignored for "-1"), from a CIDR or from the members of another group.
struct IngressRule {
  std::string protocol = "tcp";
  int from_port = 0;
  int to_port = 0;
  std::string source_cidr;      // "10.0.0.0/8", or empty
  std::string source_group_id;  // "sg-...", or empty

  friend bool operator==(const IngressRule&, const IngressRule&) = default;
};

struct SecurityGroupSpec {
  std::string region;
  std::string vpc_id;
  std::string name;
  std::string description;
  std::string idempotency_token;
};

struct SecurityGroup {
  std::string id;  // "sg-..."
  std::string vpc_id;
  std::string name;
  std::vector<IngressRule> ingress;
};

enum class InstanceState { kPending, kRunning, kStopping, kStopped, kShuttingDown, kTerminated };
std::string_view ToString(InstanceState s);
// ParseInstanceState accepts EC2's names: pending, running, stopping, stopped, shutting-down,
// terminated.
std::optional<InstanceState> ParseInstanceState(std::string_view s);

struct RunInstanceSpec {
  std::string region;
  std::string az;
  std::string subnet_id;
  std::string image;          // local: an image catalog name ("etcd", "test"); aws: an AMI ID
  std::string instance_type;  // "t3.small"; the local provider records it
  std::string private_ip;     // chosen by made0's IPAM; empty lets the provider choose
  std::vector<std::string> security_group_ids;
  std::map<std::string, std::string> tags;  // Name, made0:cluster, ...
  std::string user_data;                    // aws: cloud-init; local: JSON given to the image
  std::string idempotency_token;            // EC2 ClientToken (at most 64 ASCII characters)
};

struct Instance {
  std::string id;  // "i-0123456789abcdef0"
  InstanceState state = InstanceState::kPending;
  std::string state_reason;  // why it stopped or terminated, when the provider says
  std::string region;
  std::string az;
  std::string subnet_id;
  std::string image;
  std::string instance_type;
  std::string private_ip;
  std::map<std::string, std::string> tags;
  // endpoints by name ("client", "peer", "http") as host:port; on the local provider they are
  // 127.0.0.1 ports, on AWS "<private_ip>:<port>" as the image defines them.
  std::map<std::string, std::string> endpoints;
  std::chrono::system_clock::time_point launch_time{};
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual std::string_view name() const = 0;  // "local" | "aws"

  virtual Result<Vpc> CreateVpc(const VpcSpec& spec) = 0;
  virtual Result<Subnet> CreateSubnet(const SubnetSpec& spec) = 0;
  virtual Result<SecurityGroup> CreateSecurityGroup(const SecurityGroupSpec& spec) = 0;
  // AuthorizeIngress adds rules to a group; a rule the group already has is not an error.
  virtual Status AuthorizeIngress(const std::string& region, const std::string& group_id,
                                  const std::vector<IngressRule>& rules) = 0;

  virtual Result<Instance> RunInstance(const RunInstanceSpec& spec) = 0;
  // DescribeInstances returns the named instances (all of the region's when ids is empty). An
  // unknown ID is kNotFound; a terminated instance is still described for a while, as on EC2.
  virtual Result<std::vector<Instance>> DescribeInstances(const std::string& region,
                                                          const std::vector<std::string>& ids) = 0;
  // TerminateInstance is idempotent: terminating a terminated (or unknown-after-termination)
  // instance succeeds.
  virtual Status TerminateInstance(const std::string& region, const std::string& id) = 0;
};

}  // namespace made0::cloud
