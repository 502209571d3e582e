#include "ec2_client.hpp"

#include "ec2_errors.hpp"
#include "made0/http/client.hpp"

namespace made0::cloud::aws {
namespace {

bool ValidRegion(std::string_view region) {
  if (region.empty() || region.size() > 32) return false;
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

Ec2Client::Ec2Client(AwsConfig config)
    : config_(std::move(config)), http_(std::make_unique<http::Client>()) {}
Ec2Client::~Ec2Client() = default;

Result<std::string> Ec2Client::Call(std::string_view region, const Params& params) {
  const std::string action = params.empty() ? std::string() : params.front().second;
  // The region goes into the host name and the signature's scope: refuse anything odd.
  if (!ValidRegion(region)) {
    return Error::Invalid("region", "invalid AWS region '" + std::string(region) + "'");
  }
  http::ClientRequest req{
      .method = "POST",
      .url = EndpointFor(config_, region) + "/",
      // Set explicitly so that it is part of what is signed (libcurl signs the headers given).
      .headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      .body = FormEncode(params),
      .timeout = config_.timeout,
      .aws_sigv4 = http::AwsSigV4{"aws:amz:" + std::string(region) + ":ec2", config_.access_key_id,
                                  config_.secret_access_key}};
  if (!config_.session_token.empty()) {
    req.headers.emplace_back("x-amz-security-token", config_.session_token);
  }
  auto r = http_->Send(req);
  if (!r) {
    // The client's messages name the method, the URL and the failure, never the credentials
    // or the body.
    Error e = r.error();
    e.message = "EC2 " + action + ": " + e.message;
    if (e.code == ErrorCode::kInvalid) e.field = "endpoint";
    return e;
  }
  if (r->status >= 200 && r->status < 300) return std::move(r->body);
  return ErrorFromResponse(action, r->status, r->body);
}

}  // namespace made0::cloud::aws
