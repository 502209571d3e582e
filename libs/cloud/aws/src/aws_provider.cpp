#include "made0/cloud/aws/aws_provider.hpp"

#include <set>

#include "ec2_client.hpp"
#include "ec2_query.hpp"
#include "ec2_xml.hpp"

namespace made0::cloud::aws {
namespace {

// kMaxDescribePages bounds a region-wide listing (1000 instances a page).
constexpr int kMaxDescribePages = 100;

// HasEc2Code: the error came from EC2 with this code (messages are "<Code>: <Message>").
bool HasEc2Code(const Error& e, std::string_view code) {
  return std::string_view(e.message).starts_with(std::string(code) + ":");
}

Status Require(std::string_view field, const std::string& value) {
  if (value.empty()) return Error::Invalid(std::string(field), std::string(field) + " is required");
  return Status::Ok();
}

class AwsProvider final : public Provider {
 public:
  explicit AwsProvider(AwsConfig config) : ec2_(std::move(config)) {}

  std::string_view name() const override { return "aws"; }

  // Provider: networks. EC2 has no ClientToken for CreateVpc, CreateSubnet and
  // CreateSecurityGroup, so idempotency is made here: the object is created already tagged
  // made0:idempotency-token=<token> (TagSpecification, atomic with the creation), and every call
  // first describes by that tag. A retry after a lost answer finds the first call's object.
  // Two calls racing with the same token could both create (the saga engine never runs one step
  // twice at once), and EC2's eventual consistency may hide an object for a moment after its
  // creation; both are the price of an API without tokens.

  Result<Vpc> CreateVpc(const VpcSpec& spec) override {
    if (Status s = Require("idempotency_token", spec.idempotency_token); !s) return s.error();
    if (Status s = Require("cidr", spec.cidr); !s) return s.error();
    auto found =
        Fetch(spec.region, DescribeVpcsByTokenParams(spec.idempotency_token), ParseDescribeVpcs);
    if (!found) return found.error();
    if (!found->empty()) return found->front();
    return Fetch(spec.region, CreateVpcParams(spec), ParseCreateVpc);
  }

  Result<Subnet> CreateSubnet(const SubnetSpec& spec) override {
    if (Status s = Require("idempotency_token", spec.idempotency_token); !s) return s.error();
    if (Status s = Require("vpc_id", spec.vpc_id); !s) return s.error();
    if (Status s = Require("cidr", spec.cidr); !s) return s.error();
    auto found = Fetch(spec.region, DescribeSubnetsByTokenParams(spec.idempotency_token),
                       ParseDescribeSubnets);
    if (!found) return found.error();
    if (!found->empty()) return found->front();
    return Fetch(spec.region, CreateSubnetParams(spec), ParseCreateSubnet);
  }

  Result<SecurityGroup> CreateSecurityGroup(const SecurityGroupSpec& spec) override {
    if (Status s = Require("idempotency_token", spec.idempotency_token); !s) return s.error();
    if (Status s = Require("vpc_id", spec.vpc_id); !s) return s.error();
    if (Status s = Require("name", spec.name); !s) return s.error();
    auto found = Fetch(spec.region, DescribeSecurityGroupsByTokenParams(spec.idempotency_token),
                       ParseDescribeSecurityGroups);
    if (!found) return found.error();
    if (!found->empty()) return found->front();
    auto id = Fetch(spec.region, CreateSecurityGroupParams(spec), ParseCreateSecurityGroup);
    if (!id) return id.error();
    return SecurityGroup{.id = *id, .vpc_id = spec.vpc_id, .name = spec.name, .ingress = {}};
  }

  Status AuthorizeIngress(const std::string& region, const std::string& group_id,
                          const std::vector<IngressRule>& rules) override {
    if (Status s = Require("group_id", group_id); !s) return s;
    if (rules.empty()) return Status::Ok();
    auto all = ec2_.Call(region, AuthorizeIngressParams(group_id, rules));
    if (all) return Status::Ok();
    if (!HasEc2Code(all.error(), "InvalidPermission.Duplicate")) return all.error();
    if (rules.size() == 1) return Status::Ok();
    // EC2 rejects the whole call when any one rule exists already: add them one at a time, so
    // that the new ones are added and the existing ones count as done.
    for (const IngressRule& rule : rules) {
      auto one = ec2_.Call(region, AuthorizeIngressParams(group_id, {rule}));
      if (!one && !HasEc2Code(one.error(), "InvalidPermission.Duplicate")) return one.error();
    }
    return Status::Ok();
  }

  // Provider: instances. RunInstances has EC2's own ClientToken: the same token returns the
  // instance of the first call (for a while after its termination too).

  Result<Instance> RunInstance(const RunInstanceSpec& spec) override {
    if (Status s = Require("idempotency_token", spec.idempotency_token); !s) return s.error();
    if (Status s = Require("subnet_id", spec.subnet_id); !s) return s.error();
    if (Status s = Require("image", spec.image); !s) return s.error();
    auto inst = Fetch(spec.region, RunInstancesParams(spec), ParseRunInstances);
    if (!inst) return inst.error();
    inst->region = spec.region;
    return inst;
  }

  Result<std::vector<Instance>> DescribeInstances(const std::string& region,
                                                  const std::vector<std::string>& ids) override {
    std::vector<Instance> out;
    std::string token;
    std::set<std::string> seen_tokens;
    for (int page = 0; page < kMaxDescribePages; ++page) {
      auto p = Fetch(region, DescribeInstancesParams(ids, token), ParseDescribeInstances);
      if (!p) return p.error();
      for (Instance& i : p->instances) {
        i.region = region;
        out.push_back(std::move(i));
      }
      token = std::move(p->next_token);
      if (token.empty() || !ids.empty()) return out;
      if (!seen_tokens.insert(token).second) {
        return Error::Internal("EC2 DescribeInstances repeated a NextToken");
      }
    }
    return Error::Internal("EC2 DescribeInstances gave more than " +
                           std::to_string(kMaxDescribePages) + " pages");
  }

  Status TerminateInstance(const std::string& region, const std::string& id) override {
    if (Status s = Require("id", id); !s) return s;
    auto done = Fetch(region, TerminateInstancesParams(id), ParseTerminateInstances);
    // EC2 forgets a terminated instance after about an hour; terminating it again then says
    // NotFound, which the interface counts as done.
    if (!done && HasEc2Code(done.error(), "InvalidInstanceID.NotFound")) return Status::Ok();
    if (!done) return done.error();
    return Status::Ok();
  }

 private:
  // Fetch is one call and the parse of its answer.
  template <typename Parse>
  auto Fetch(const std::string& region, const Params& params, Parse parse)
      -> decltype(parse(std::string_view())) {
    auto body = ec2_.Call(region, params);
    if (!body) return body.error();
    return parse(*body);
  }

  Ec2Client ec2_;
};

}  // namespace

std::unique_ptr<Provider> NewAwsProvider(AwsConfig config) {
  return std::make_unique<AwsProvider>(std::move(config));
}

}  // namespace made0::cloud::aws
