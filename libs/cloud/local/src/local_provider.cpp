#include "made0/cloud/local_provider.hpp"

#include "made0/cloud/local_wire.hpp"
#include "made0/runtime/service_client.hpp"

namespace made0::cloud {
namespace {

using nlohmann::json;

std::string QueryEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class LocalProvider final : public Provider {
 public:
  explicit LocalProvider(HostdTransport transport) : transport_(std::move(transport)) {}

  // cloud::Provider
  std::string_view name() const override { return "local"; }

  Result<Vpc> CreateVpc(const VpcSpec& spec) override {
    auto body =
        Call({"POST", "/v1/vpcs", wire::ToJson(spec).dump(), !spec.idempotency_token.empty()});
    if (!body) return body.error();
    return wire::VpcFromJson(*body);
  }

  Result<Subnet> CreateSubnet(const SubnetSpec& spec) override {
    auto body =
        Call({"POST", "/v1/subnets", wire::ToJson(spec).dump(), !spec.idempotency_token.empty()});
    if (!body) return body.error();
    return wire::SubnetFromJson(*body);
  }

  Result<SecurityGroup> CreateSecurityGroup(const SecurityGroupSpec& spec) override {
    auto body = Call({"POST", "/v1/security-groups", wire::ToJson(spec).dump(),
                      !spec.idempotency_token.empty()});
    if (!body) return body.error();
    return wire::SecurityGroupFromJson(*body);
  }

  Status AuthorizeIngress(const std::string& region, const std::string& group_id,
                          const std::vector<IngressRule>& rules) override {
    json list = json::array();
    for (const auto& r : rules) list.push_back(wire::ToJson(r));
    auto body = Call({"POST", "/v1/security-groups/" + QueryEscape(group_id) + "/ingress",
                      json{{"region", region}, {"rules", list}}.dump(), true});
    if (!body) return body.error();
    return Status::Ok();
  }

  Result<Instance> RunInstance(const RunInstanceSpec& spec) override {
    auto body =
        Call({"POST", "/v1/instances", wire::ToJson(spec).dump(), !spec.idempotency_token.empty()});
    if (!body) return body.error();
    return wire::InstanceFromJson(*body);
  }

  Result<std::vector<Instance>> DescribeInstances(const std::string& region,
                                                  const std::vector<std::string>& ids) override {
    std::string joined;
    for (const auto& id : ids) joined += (joined.empty() ? "" : ",") + id;
    std::string path = "/v1/instances?region=" + QueryEscape(region);
    if (!joined.empty()) path += "&ids=" + QueryEscape(joined);
    auto body = Call({"GET", path, "", true});
    if (!body) return body.error();
    if (!body->contains("instances") || !(*body)["instances"].is_array()) {
      return Error{ErrorCode::kInternal, "unexpected response from hostd: no instances array",
                   "instances"};
    }
    std::vector<Instance> out;
    for (const auto& item : (*body)["instances"]) {
      auto inst = wire::InstanceFromJson(item);
      if (!inst) return inst.error();
      out.push_back(std::move(*inst));
    }
    return out;
  }

  Status TerminateInstance(const std::string& region, const std::string& id) override {
    auto body =
        Call({"DELETE", "/v1/instances/" + QueryEscape(id) + "?region=" + QueryEscape(region), "",
              true});
    // Terminating an instance hostd no longer knows (its record expired) is success, as the
    // interface promises.
    if (!body && body.error().code == ErrorCode::kNotFound) return Status::Ok();
    if (!body) return body.error();
    return Status::Ok();
  }

 private:
  // Call sends a request and returns the JSON body of a 2xx answer, or the mapped error.
  Result<json> Call(const HostdRequest& request) {
    auto resp = transport_(request);
    if (!resp) {
      // Every transport failure may be retried with the same token.
      return Error::Unavailable("hostd unreachable: " + resp.error().message);
    }
    if (resp->status < 200 || resp->status > 299) {
      return wire::ErrorFromResponse(resp->status, resp->body);
    }
    if (resp->status == 204 || resp->body.empty()) return json::object();
    auto body = json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) {
      return Error{ErrorCode::kInternal, "unexpected response from hostd: not JSON", {}};
    }
    return body;
  }

  HostdTransport transport_;
};

}  // namespace

HostdTransport DirectHostd(http::Client& client, std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return [&client, base = std::move(base_url)](const HostdRequest& r) {
    http::ClientRequest req{.method = r.method, .url = base + r.path};
    if (!r.body.empty()) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = r.body;
    }
    req.timeout = std::chrono::seconds(15);
    return client.Send(req);
  };
}

HostdTransport RegistryHostd(runtime::ServiceClient& services) {
  return [&services](const HostdRequest& r) {
    return services.Call("hostd", {.method = r.method,
                                   .path = r.path,
                                   .body = r.body,
                                   .timeout = std::chrono::seconds(15),
                                   .repeatable = r.repeatable});
  };
}

std::unique_ptr<Provider> MakeLocalProvider(HostdTransport transport) {
  return std::make_unique<LocalProvider>(std::move(transport));
}

}  // namespace made0::cloud
