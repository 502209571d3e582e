#include "ec2_xml.hpp"

#include <tinyxml2.h>

#include <charconv>
#include <memory>

namespace made0::cloud::aws {
namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

// Doc parses a body and checks the root element's name (EC2 answers <ActionResponse xmlns=...>).
Result<std::unique_ptr<XMLDocument>> Doc(std::string_view body, std::string_view root) {
  auto doc = std::make_unique<XMLDocument>();
  if (doc->Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS) {
    return Error::Internal("EC2 answered with malformed XML (expected " + std::string(root) +
                           "): " + doc->ErrorStr());
  }
  const XMLElement* r = doc->RootElement();
  if (r == nullptr || std::string_view(r->Name()) != root) {
    return Error::Internal("EC2 answered <" + std::string(r ? r->Name() : "") + "> where <" +
                           std::string(root) + "> was expected");
  }
  return doc;
}

// Child follows a '/'-separated path of element names; nullptr when any step is missing.
const XMLElement* Child(const XMLElement* e, std::string_view path) {
  while (e != nullptr && !path.empty()) {
    const auto slash = path.find('/');
    const std::string name(path.substr(0, slash));
    e = e->FirstChildElement(name.c_str());
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return e;
}

std::string Text(const XMLElement* e, std::string_view path) {
  const XMLElement* c = Child(e, path);
  const char* t = c != nullptr ? c->GetText() : nullptr;
  return t != nullptr ? std::string(t) : std::string();
}

// ForEachItem calls f on every <item> under path (EC2's list encoding).
template <typename F>
void ForEachItem(const XMLElement* e, std::string_view path, F&& f) {
  const XMLElement* list = Child(e, path);
  if (list == nullptr) return;
  for (const XMLElement* it = list->FirstChildElement("item"); it != nullptr;
       it = it->NextSiblingElement("item")) {
    f(it);
  }
}

int Int(const XMLElement* e, std::string_view path) {
  const std::string t = Text(e, path);
  int n = 0;
  std::from_chars(t.data(), t.data() + t.size(), n);
  return n;
}

Vpc ReadVpc(const XMLElement* e) {
  return {.id = Text(e, "vpcId"), .cidr = Text(e, "cidrBlock"), .state = Text(e, "state")};
}

Subnet ReadSubnet(const XMLElement* e) {
  return {.id = Text(e, "subnetId"),
          .vpc_id = Text(e, "vpcId"),
          .az = Text(e, "availabilityZone"),
          .cidr = Text(e, "cidrBlock"),
          .state = Text(e, "state")};
}

std::map<std::string, std::string> ReadTags(const XMLElement* e) {
  std::map<std::string, std::string> tags;
  ForEachItem(e, "tagSet", [&](const XMLElement* t) { tags[Text(t, "key")] = Text(t, "value"); });
  return tags;
}

Result<Instance> ReadInstance(const XMLElement* e) {
  Instance i;
  i.id = Text(e, "instanceId");
  const std::string state = Text(e, "instanceState/name");
  auto parsed = ParseInstanceState(state);
  if (i.id.empty() || !parsed) {
    return Error::Internal("EC2 described an instance without an ID or with an unknown state '" +
                           state + "'");
  }
  i.state = *parsed;
  // stateReason/message is the readable one ("Client.UserInitiatedShutdown: User initiated
  // shutdown"); <reason> is the older, terser field.
  i.state_reason = Text(e, "stateReason/message");
  if (i.state_reason.empty()) i.state_reason = Text(e, "reason");
  i.az = Text(e, "placement/availabilityZone");
  i.subnet_id = Text(e, "subnetId");
  i.image = Text(e, "imageId");
  i.instance_type = Text(e, "instanceType");
  i.private_ip = Text(e, "privateIpAddress");
  i.tags = ReadTags(e);
  i.endpoints = EndpointsFromTags(i.tags, i.private_ip);
  if (auto t = ParseEc2Time(Text(e, "launchTime"))) i.launch_time = *t;
  return i;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
  return ec == std::errc{} && p == s.data() + pos + n;
}

}  // namespace

std::optional<Ec2Error> ParseEc2Error(std::string_view body) {
  XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS) return std::nullopt;
  const XMLElement* root = doc.RootElement();
  if (root == nullptr || std::string_view(root->Name()) != "Response") return std::nullopt;
  const XMLElement* err = Child(root, "Errors/Error");
  if (err == nullptr) return std::nullopt;
  Ec2Error out{Text(err, "Code"), Text(err, "Message"), Text(root, "RequestID")};
  if (out.code.empty()) return std::nullopt;
  return out;
}

Result<Vpc> ParseCreateVpc(std::string_view body) {
  auto doc = Doc(body, "CreateVpcResponse");
  if (!doc) return doc.error();
  const XMLElement* vpc = Child((*doc)->RootElement(), "vpc");
  if (vpc == nullptr || Text(vpc, "vpcId").empty()) {
    return Error::Internal("CreateVpcResponse without a vpcId");
  }
  return ReadVpc(vpc);
}

Result<std::vector<Vpc>> ParseDescribeVpcs(std::string_view body) {
  auto doc = Doc(body, "DescribeVpcsResponse");
  if (!doc) return doc.error();
  std::vector<Vpc> out;
  ForEachItem((*doc)->RootElement(), "vpcSet",
              [&](const XMLElement* e) { out.push_back(ReadVpc(e)); });
  return out;
}

Result<Subnet> ParseCreateSubnet(std::string_view body) {
  auto doc = Doc(body, "CreateSubnetResponse");
  if (!doc) return doc.error();
  const XMLElement* subnet = Child((*doc)->RootElement(), "subnet");
  if (subnet == nullptr || Text(subnet, "subnetId").empty()) {
    return Error::Internal("CreateSubnetResponse without a subnetId");
  }
  return ReadSubnet(subnet);
}

Result<std::vector<Subnet>> ParseDescribeSubnets(std::string_view body) {
  auto doc = Doc(body, "DescribeSubnetsResponse");
  if (!doc) return doc.error();
  std::vector<Subnet> out;
  ForEachItem((*doc)->RootElement(), "subnetSet",
              [&](const XMLElement* e) { out.push_back(ReadSubnet(e)); });
  return out;
}

Result<std::string> ParseCreateSecurityGroup(std::string_view body) {
  auto doc = Doc(body, "CreateSecurityGroupResponse");
  if (!doc) return doc.error();
  std::string id = Text((*doc)->RootElement(), "groupId");
  if (id.empty()) return Error::Internal("CreateSecurityGroupResponse without a groupId");
  return id;
}

Result<std::vector<SecurityGroup>> ParseDescribeSecurityGroups(std::string_view body) {
  auto doc = Doc(body, "DescribeSecurityGroupsResponse");
  if (!doc) return doc.error();
  std::vector<SecurityGroup> out;
  ForEachItem((*doc)->RootElement(), "securityGroupInfo", [&](const XMLElement* g) {
    SecurityGroup sg{.id = Text(g, "groupId"),
                     .vpc_id = Text(g, "vpcId"),
                     .name = Text(g, "groupName"),
                     .ingress = {}};
    ForEachItem(g, "ipPermissions", [&](const XMLElement* perm) {
      IngressRule base;
      base.protocol = Text(perm, "ipProtocol");
      base.from_port = Int(perm, "fromPort");
      base.to_port = Int(perm, "toPort");
      ForEachItem(perm, "ipRanges", [&](const XMLElement* r) {
        IngressRule rule = base;
        rule.source_cidr = Text(r, "cidrIp");
        sg.ingress.push_back(rule);
      });
      ForEachItem(perm, "groups", [&](const XMLElement* r) {
        IngressRule rule = base;
        rule.source_group_id = Text(r, "groupId");
        sg.ingress.push_back(rule);
      });
    });
    out.push_back(std::move(sg));
  });
  return out;
}

Result<Instance> ParseRunInstances(std::string_view body) {
  auto doc = Doc(body, "RunInstancesResponse");
  if (!doc) return doc.error();
  const XMLElement* item = Child((*doc)->RootElement(), "instancesSet/item");
  if (item == nullptr) return Error::Internal("RunInstancesResponse without an instance");
  return ReadInstance(item);
}

Result<InstancePage> ParseDescribeInstances(std::string_view body) {
  auto doc = Doc(body, "DescribeInstancesResponse");
  if (!doc) return doc.error();
  InstancePage page;
  std::optional<Error> failed;
  ForEachItem((*doc)->RootElement(), "reservationSet", [&](const XMLElement* reservation) {
    ForEachItem(reservation, "instancesSet", [&](const XMLElement* e) {
      auto i = ReadInstance(e);
      if (!i) {
        if (!failed) failed = i.error();
        return;
      }
      page.instances.push_back(std::move(*i));
    });
  });
  if (failed) return *failed;
  page.next_token = Text((*doc)->RootElement(), "nextToken");
  return page;
}

Result<std::vector<TerminatedInstance>> ParseTerminateInstances(std::string_view body) {
  auto doc = Doc(body, "TerminateInstancesResponse");
  if (!doc) return doc.error();
  std::vector<TerminatedInstance> out;
  std::optional<Error> failed;
  ForEachItem((*doc)->RootElement(), "instancesSet", [&](const XMLElement* e) {
    const std::string name = Text(e, "currentState/name");
    auto state = ParseInstanceState(name);
    if (!state) {
      if (!failed) failed = Error::Internal("TerminateInstancesResponse with state '" + name + "'");
      return;
    }
    out.push_back({Text(e, "instanceId"), *state});
  });
  if (failed) return *failed;
  return out;
}

std::optional<std::chrono::system_clock::time_point> ParseEc2Time(std::string_view s) {
  // 2016-11-15T17:37:05[.000]Z
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || s[10] != 'T' || !Digits(s, 11, 2, h) || s[13] != ':' ||
      !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  long long millis = 0;
  if (s[pos] == '.') {
    int scale = 100;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
    }
  }
  if (pos + 1 != s.size() || s[pos] != 'Z') return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) + milliseconds(millis);
}

std::map<std::string, std::string> EndpointsFromTags(const std::map<std::string, std::string>& tags,
                                                     std::string_view private_ip) {
  std::map<std::string, std::string> out;
  if (private_ip.empty()) return out;
  for (auto it = tags.lower_bound(std::string(kPortTagPrefix));
       it != tags.end() && std::string_view(it->first).starts_with(kPortTagPrefix); ++it) {
    const std::string name = it->first.substr(kPortTagPrefix.size());
    int port = 0;
    const std::string& v = it->second;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
    if (name.empty() || ec != std::errc{} || p != v.data() + v.size() || port < 1 || port > 65535) {
      continue;  // a hand-made tag that is not a port is not an endpoint
    }
    out[name] = std::string(private_ip) + ":" + std::to_string(port);
  }
  return out;
}

}  // namespace made0::cloud::aws
