// The aws provider end to end against an in-process fake EC2 (made0::http's server on
// 127.0.0.1, an ephemeral port): real libcurl, real SigV4, the API reference's sample answers.
// The fake checks what EC2 would: the Authorization header's scope, X-Amz-Date, and the
// signature itself, recomputed from the received request with the test's secret.
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "made0/cloud/aws/aws_provider.hpp"
#include "made0/core/encoding.hpp"
#include "made0/http/server.hpp"
#include "testdata.hpp"

namespace made0::cloud::aws {
namespace {

using namespace std::chrono_literals;
using testing::ReadTestdata;

constexpr std::string_view kKeyId = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kRegion = "us-east-1";

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1 + 0) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const auto eq = pair.find('=');
    out.emplace_back(PercentDecode(pair.substr(0, eq)),
                     eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1)));
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// Seen is one request as the fake received it.
struct Seen {
  std::vector<std::pair<std::string, std::string>> form;
  std::string body;
  std::string authorization;
  std::string amz_date;
  std::string security_token;
  std::string signed_headers;
  std::string signature_problem;  // empty when the signature verifies

  std::string Param(std::string_view name) const {
    for (const auto& [k, v] : form) {
      if (k == name) return v;
    }
    return "<absent>";
  }
  std::string Action() const { return Param("Action"); }
};

// VerifySignature recomputes SigV4 (POST /, no query) over the headers the request says it
// signed, and returns what is wrong, or "".
std::string VerifySignature(const http::Request& req, const std::string& secret) {
  const std::string auth(req.Header("authorization").value_or(""));
  const std::string prefix = "AWS4-HMAC-SHA256 Credential=";
  if (!auth.starts_with(prefix)) return "no AWS4-HMAC-SHA256 Authorization";
  const auto field = [&](std::string_view name) -> std::string {
    const auto at = auth.find(name);
    if (at == std::string::npos) return "";
    const auto start = at + name.size();
    const auto end = auth.find(',', start);
    return auth.substr(start, end == std::string::npos ? std::string::npos : end - start);
  };
  const std::string credential = field("Credential=");
  const std::string signed_headers = field("SignedHeaders=");
  const std::string signature = field("Signature=");
  const std::string scope = credential.substr(credential.find('/') + 1);
  const std::string date = scope.substr(0, 8);
  const std::string amz_date(req.Header("x-amz-date").value_or(""));

  std::string canonical = req.method + "\n/\n\n";
  std::string_view names = signed_headers;
  while (!names.empty()) {
    const auto semi = names.find(';');
    const std::string name(names.substr(0, semi));
    auto value = req.Header(name);
    if (!value) return "signed header " + name + " was not sent";
    canonical += name + ":" + std::string(*value) + "\n";
    names = semi == std::string_view::npos ? std::string_view() : names.substr(semi + 1);
  }
  canonical += "\n" + signed_headers + "\n" + Sha256Hex(req.body);
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Sha256Hex(canonical);
  std::string key = Hmac("AWS4" + secret, date);
  key = Hmac(key, kRegion);
  key = Hmac(key, "ec2");
  key = Hmac(key, "aws4_request");
  if (HexEncode(Hmac(key, to_sign)) != signature) return "signature mismatch";
  return "";
}

class FakeEc2 {
 public:
  using Handler = std::function<http::Response(const Seen&)>;

  FakeEc2() {
    router_.Add("POST", "/", [this](http::Request& req) {
      Seen s;
      s.body = req.body;
      s.form = ParseForm(req.body);
      s.authorization = std::string(req.Header("authorization").value_or(""));
      s.amz_date = std::string(req.Header("x-amz-date").value_or(""));
      s.security_token = std::string(req.Header("x-amz-security-token").value_or("<absent>"));
      const auto sh = s.authorization.find("SignedHeaders=");
      if (sh != std::string::npos) {
        s.signed_headers = s.authorization.substr(sh + 14, s.authorization.find(',', sh) - sh - 14);
      }
      s.signature_problem = VerifySignature(req, std::string(kSecret));
      Handler h;
      {
        std::lock_guard lock(mu_);
        seen_.push_back(s);
        h = handler_;
      }
      return h ? h(s) : http::Response::Text(500, "no handler");
    });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, router_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~FakeEc2() { server_->Stop(1s); }

  void Answer(Handler h) {
    std::lock_guard lock(mu_);
    handler_ = std::move(h);
  }
  std::vector<Seen> Seen_() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(server_->Port()); }
  void Stop() { server_->Stop(0ms); }

 private:
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
  Handler handler_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

http::Response Xml(int status, const std::string& file) {
  return http::Response::Text(status, ReadTestdata(file), "text/xml;charset=UTF-8");
}

// ByAction answers each action with a sample file (status 200).
FakeEc2::Handler ByAction(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const Seen& s) {
    auto it = files.find(s.Action());
    if (it == files.end()) return http::Response::Text(400, "unexpected action " + s.Action());
    return Xml(200, it->second);
  };
}

class FakeEc2Test : public ::testing::Test {
 protected:
  std::unique_ptr<Provider> MakeProvider(std::string session_token = "",
                                         std::chrono::milliseconds timeout = 5s) {
    AwsConfig c{.access_key_id = std::string(kKeyId),
                .secret_access_key = std::string(kSecret),
                .session_token = std::move(session_token),
                .endpoint = fake_.Endpoint(),
                .timeout = timeout};
    return NewAwsProvider(c);
  }

  // ExpectSigned checks every request as EC2 would, and that no secret travelled in a body.
  void ExpectSigned(const std::vector<Seen>& seen) {
    for (const Seen& s : seen) {
      ASSERT_EQ(s.amz_date.size(), 16u) << s.amz_date;  // 20240101T120000Z
      const std::string scope_prefix = "AWS4-HMAC-SHA256 Credential=" + std::string(kKeyId) + "/" +
                                       s.amz_date.substr(0, 8) + "/" + std::string(kRegion) +
                                       "/ec2/aws4_request";
      EXPECT_TRUE(s.authorization.starts_with(scope_prefix)) << s.authorization;
      EXPECT_EQ(s.signature_problem, "") << s.Action();
      EXPECT_EQ(s.Param("Version"), "2016-11-15");
      EXPECT_EQ(s.body.find(kSecret), std::string::npos);
    }
  }

  void ExpectNoSecret(const Error& e) {
    EXPECT_EQ(e.message.find(kSecret), std::string::npos) << e.message;
  }

  FakeEc2 fake_;
};

TEST_F(FakeEc2Test, CreateVpcDescribesByTokenThenCreatesTagged) {
  fake_.Answer(
      ByAction({{"DescribeVpcs", "describe_vpcs_empty.xml"}, {"CreateVpc", "create_vpc.xml"}}));
  auto p = MakeProvider();
  auto vpc = p->CreateVpc({.region = std::string(kRegion),
                           .cidr = "10.0.0.0/16",
                           .name = "made0",
                           .idempotency_token = "saga-1:createVpc"});
  ASSERT_TRUE(vpc.ok()) << vpc.error().message;
  EXPECT_EQ(vpc->id, "vpc-1a2b3c4d");
  EXPECT_EQ(vpc->cidr, "10.0.0.0/16");

  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 2u);
  ExpectSigned(seen);
  EXPECT_EQ(seen[0].Action(), "DescribeVpcs");
  EXPECT_EQ(seen[0].Param("Filter.1.Name"), "tag:made0:idempotency-token");
  EXPECT_EQ(seen[0].Param("Filter.1.Value.1"), "saga-1:createVpc");
  EXPECT_EQ(seen[1].Action(), "CreateVpc");
  EXPECT_EQ(seen[1].Param("CidrBlock"), "10.0.0.0/16");
  EXPECT_EQ(seen[1].Param("TagSpecification.1.ResourceType"), "vpc");
  EXPECT_EQ(seen[1].Param("TagSpecification.1.Tag.2.Key"), "made0:idempotency-token");
  EXPECT_EQ(seen[1].Param("TagSpecification.1.Tag.2.Value"), "saga-1:createVpc");
  EXPECT_EQ(seen[1].security_token, "<absent>");
}

TEST_F(FakeEc2Test, CreateVpcAgainWithTheSameTokenReturnsTheFirstOne) {
  fake_.Answer(ByAction({{"DescribeVpcs", "describe_vpcs.xml"}}));  // CreateVpc would be a 400
  auto p = MakeProvider();
  auto vpc = p->CreateVpc({.region = std::string(kRegion),
                           .cidr = "172.16.0.0/16",
                           .name = "made0",
                           .idempotency_token = "saga-1:createVpc"});
  ASSERT_TRUE(vpc.ok()) << vpc.error().message;
  EXPECT_EQ(vpc->id, "vpc-0a60eb65b4EXAMPLE");
  EXPECT_EQ(vpc->state, "available");
  ASSERT_EQ(fake_.Seen_().size(), 1u);
}

TEST_F(FakeEc2Test, CreateSubnetAndSecurityGroup) {
  fake_.Answer(ByAction({{"DescribeSubnets", "describe_subnets_empty.xml"},
                         {"CreateSubnet", "create_subnet.xml"},
                         {"DescribeSecurityGroups", "describe_security_groups_empty.xml"},
                         {"CreateSecurityGroup", "create_security_group.xml"}}));
  auto p = MakeProvider();
  auto subnet = p->CreateSubnet({.region = std::string(kRegion),
                                 .vpc_id = "vpc-1a2b3c4d",
                                 .az = "us-east-1a",
                                 .cidr = "10.0.1.0/24",
                                 .name = "made0-us-east-1a",
                                 .idempotency_token = "saga-1:subnet-a"});
  ASSERT_TRUE(subnet.ok()) << subnet.error().message;
  EXPECT_EQ(subnet->id, "subnet-9d4a7b6c");
  EXPECT_EQ(subnet->az, "us-east-1a");
  auto sg = p->CreateSecurityGroup({.region = std::string(kRegion),
                                    .vpc_id = "vpc-1a2b3c4d",
                                    .name = "etcd",
                                    .description = "etcd members",
                                    .idempotency_token = "saga-1:sg"});
  ASSERT_TRUE(sg.ok()) << sg.error().message;
  EXPECT_EQ(sg->id, "sg-1a2b3c4d");
  EXPECT_EQ(sg->vpc_id, "vpc-1a2b3c4d");
  EXPECT_EQ(sg->name, "etcd");

  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 4u);
  ExpectSigned(seen);
  EXPECT_EQ(seen[0].Action(), "DescribeSubnets");
  EXPECT_EQ(seen[1].Param("AvailabilityZone"), "us-east-1a");
  EXPECT_EQ(seen[1].Param("VpcId"), "vpc-1a2b3c4d");
  EXPECT_EQ(seen[2].Action(), "DescribeSecurityGroups");
  EXPECT_EQ(seen[3].Param("GroupDescription"), "etcd members");
  EXPECT_EQ(seen[3].Param("TagSpecification.1.ResourceType"), "security-group");
}

TEST_F(FakeEc2Test, RunInstanceUnavailableThenRetriedWithTheSameClientToken) {
  std::atomic<int> calls{0};
  fake_.Answer([&](const Seen&) {
    return ++calls == 1 ? Xml(503, "error_unavailable.xml") : Xml(200, "run_instances.xml");
  });
  auto p = MakeProvider();
  const RunInstanceSpec spec{.region = std::string(kRegion),
                             .az = "us-east-1a",
                             .subnet_id = "subnet-56f5f633",
                             .image = "ami-bff32ccc",
                             .instance_type = "t3.small",
                             .private_ip = "172.16.128.4",
                             .security_group_ids = {"sg-e4076980"},
                             .tags = {{"Name", "made0-etcd-0"}, {"made0:port:client", "2379"}},
                             .user_data = "#cloud-config\nruncmd: [etcd]\n",
                             .idempotency_token = "saga-1:runInstance"};
  auto first = p->RunInstance(spec);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(IsRetryable(first.error()));
  EXPECT_EQ(first.error().message,
            "Unavailable: The server is overloaded and can't handle the request.");

  auto second = p->RunInstance(spec);  // the caller's retry
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->id, "i-1234567890abcdef0");
  EXPECT_EQ(second->region, kRegion);
  EXPECT_EQ(second->private_ip, "172.16.128.4");

  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 2u);
  ExpectSigned(seen);
  for (const Seen& s : seen) {
    EXPECT_EQ(s.Action(), "RunInstances");
    EXPECT_EQ(s.Param("ClientToken"), "saga-1:runInstance");
    EXPECT_EQ(s.Param("MinCount"), "1");
    EXPECT_EQ(s.Param("MaxCount"), "1");
    EXPECT_EQ(s.Param("SubnetId"), "subnet-56f5f633");
    EXPECT_EQ(s.Param("PrivateIpAddress"), "172.16.128.4");
    EXPECT_EQ(s.Param("SecurityGroupId.1"), "sg-e4076980");
    EXPECT_EQ(s.Param("TagSpecification.1.ResourceType"), "instance");
    EXPECT_EQ(Base64Decode(s.Param("UserData")).value_or(""), spec.user_data);
  }
}

TEST_F(FakeEc2Test, RunInstanceInUnknownSubnetIsNotFound) {
  fake_.Answer([](const Seen&) { return Xml(400, "error_invalid_subnet.xml"); });
  auto p = MakeProvider();
  auto r = p->RunInstance({.region = std::string(kRegion),
                           .subnet_id = "subnet-x",
                           .image = "ami-1",
                           .idempotency_token = "t"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "InvalidSubnetID.NotFound: The subnet ID 'subnet-x' does not exist");
  EXPECT_FALSE(IsRetryable(r.error()));
  ExpectNoSecret(r.error());
}

TEST_F(FakeEc2Test, DescribeInstancesPagesThroughTheRegion) {
  fake_.Answer([](const Seen& s) {
    if (s.Param("NextToken") == "<absent>") return Xml(200, "describe_instances.xml");
    if (s.Param("NextToken") == "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9") {
      return Xml(200, "describe_instances_page2.xml");
    }
    return http::Response::Text(400, "bad token");
  });
  auto p = MakeProvider();
  auto all = p->DescribeInstances(std::string(kRegion), {});
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "i-1234567890abcdef0");
  EXPECT_EQ((*all)[1].state, InstanceState::kTerminated);
  EXPECT_EQ((*all)[2].id, "i-0bbbbbbbbbbbbbbbb");
  for (const Instance& i : *all) EXPECT_EQ(i.region, kRegion);
  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 2u);
  ExpectSigned(seen);
  EXPECT_EQ(seen[0].Param("MaxResults"), "1000");
  EXPECT_EQ(seen[1].Param("NextToken"), "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9");
}

TEST_F(FakeEc2Test, DescribeInstancesByIdAndUnknownId) {
  fake_.Answer([](const Seen& s) {
    if (s.Param("InstanceId.1") == "i-1a2b3c4d") return Xml(400, "error_instance_not_found.xml");
    return Xml(200, "describe_instances_page2.xml");
  });
  auto p = MakeProvider();
  auto one = p->DescribeInstances(std::string(kRegion), {"i-0bbbbbbbbbbbbbbbb"});
  ASSERT_TRUE(one.ok()) << one.error().message;
  ASSERT_EQ(one->size(), 1u);
  auto missing = p->DescribeInstances(std::string(kRegion), {"i-1a2b3c4d"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message,
            "InvalidInstanceID.NotFound: The instance ID 'i-1a2b3c4d' does not exist");
  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].Param("InstanceId.1"), "i-0bbbbbbbbbbbbbbbb");
  EXPECT_EQ(seen[0].Param("MaxResults"), "<absent>");
}

TEST_F(FakeEc2Test, TerminateIsIdempotent) {
  fake_.Answer([](const Seen& s) {
    if (s.Param("InstanceId.1") == "i-1a2b3c4d") return Xml(400, "error_instance_not_found.xml");
    return Xml(200, "terminate_instances.xml");
  });
  auto p = MakeProvider();
  EXPECT_TRUE(p->TerminateInstance(std::string(kRegion), "i-1234567890abcdef0").ok());
  // Long gone: EC2 no longer knows it, which counts as terminated.
  EXPECT_TRUE(p->TerminateInstance(std::string(kRegion), "i-1a2b3c4d").ok());
  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 2u);
  ExpectSigned(seen);
  EXPECT_EQ(seen[0].Action(), "TerminateInstances");
  EXPECT_EQ(seen[0].Param("InstanceId.1"), "i-1234567890abcdef0");
}

TEST_F(FakeEc2Test, AuthorizeIngressTreatsDuplicatesAsDone) {
  // EC2 fails a whole call when one of its rules exists; the provider then goes rule by rule.
  fake_.Answer([](const Seen& s) {
    const bool has_peer_rule = s.Param("IpPermissions.1.FromPort") == "2380" ||
                               s.Param("IpPermissions.2.FromPort") == "2380";
    if (has_peer_rule) return Xml(400, "error_duplicate_permission.xml");
    return Xml(200, "authorize_security_group_ingress.xml");
  });
  auto p = MakeProvider();
  const std::vector<IngressRule> rules{
      {.protocol = "tcp", .from_port = 2379, .to_port = 2379, .source_cidr = "10.0.0.0/8"},
      {.protocol = "tcp", .from_port = 2380, .to_port = 2380, .source_group_id = "sg-1a2b3c4d"}};
  Status s = p->AuthorizeIngress(std::string(kRegion), "sg-1a2b3c4d", rules);
  EXPECT_TRUE(s.ok()) << s.error().message;
  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 3u);
  ExpectSigned(seen);
  EXPECT_EQ(seen[0].Param("IpPermissions.2.Groups.1.GroupId"), "sg-1a2b3c4d");
  EXPECT_EQ(seen[1].Param("IpPermissions.1.FromPort"), "2379");
  EXPECT_EQ(seen[1].Param("IpPermissions.2.FromPort"), "<absent>");
  EXPECT_EQ(seen[2].Param("IpPermissions.1.FromPort"), "2380");

  // A lone duplicate is done at once.
  Status again = p->AuthorizeIngress(std::string(kRegion), "sg-1a2b3c4d", {rules[1]});
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(fake_.Seen_().size(), 4u);
}

TEST_F(FakeEc2Test, SessionTokenIsSentAndSigned) {
  fake_.Answer(ByAction({{"TerminateInstances", "terminate_instances.xml"}}));
  auto p = MakeProvider("FQoGZXIvYXdzEXAMPLETOKEN//+=");
  ASSERT_TRUE(p->TerminateInstance(std::string(kRegion), "i-1234567890abcdef0").ok());
  auto seen = fake_.Seen_();
  ASSERT_EQ(seen.size(), 1u);
  ExpectSigned(seen);
  EXPECT_EQ(seen[0].security_token, "FQoGZXIvYXdzEXAMPLETOKEN//+=");
  EXPECT_NE(seen[0].signed_headers.find("x-amz-security-token"), std::string::npos)
      << seen[0].signed_headers;
}

TEST_F(FakeEc2Test, ThrottlingAndGatewayErrorsAreRetryable) {
  std::atomic<int> calls{0};
  fake_.Answer([&](const Seen&) {
    if (++calls == 1) return Xml(503, "error_throttled.xml");
    return http::Response::Text(502, "<html>Bad Gateway</html>", "text/html");
  });
  auto p = MakeProvider();
  auto throttled = p->DescribeInstances(std::string(kRegion), {});
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(IsRetryable(throttled.error()));
  auto gateway = p->DescribeInstances(std::string(kRegion), {});
  ASSERT_FALSE(gateway.ok());
  EXPECT_EQ(gateway.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(gateway.error().message, "EC2 DescribeInstances answered HTTP 502");
}

TEST_F(FakeEc2Test, TimeoutIsUnavailable) {
  fake_.Answer([](const Seen&) {
    std::this_thread::sleep_for(600ms);
    return Xml(200, "terminate_instances.xml");
  });
  auto p = MakeProvider("", 200ms);
  Status s = p->TerminateInstance(std::string(kRegion), "i-1234567890abcdef0");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  ExpectNoSecret(s.error());
}

TEST_F(FakeEc2Test, ConnectionRefusedIsUnavailableAndKeepsSecretsOut) {
  auto p = MakeProvider();
  fake_.Stop();  // the port is closed now
  auto r = p->RunInstance({.region = std::string(kRegion),
                           .subnet_id = "subnet-1",
                           .image = "ami-1",
                           .user_data = "secret-bearing cloud-init",
                           .idempotency_token = "t"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(r.error().message.starts_with("EC2 RunInstances: ")) << r.error().message;
  ExpectNoSecret(r.error());
  EXPECT_EQ(r.error().message.find(kKeyId), std::string::npos);
  EXPECT_EQ(r.error().message.find("cloud-init"), std::string::npos);
}

TEST_F(FakeEc2Test, InvalidInputsNeverReachEc2) {
  auto p = MakeProvider();
  auto no_token = p->RunInstance({.region = std::string(kRegion), .subnet_id = "s", .image = "a"});
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(no_token.error().field, "idempotency_token");
  auto bad_region = p->DescribeInstances("us-east-1/../x", {});
  ASSERT_FALSE(bad_region.ok());
  EXPECT_EQ(bad_region.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(fake_.Seen_().empty());
}

}  // namespace
}  // namespace made0::cloud::aws
