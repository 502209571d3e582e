#pragma once
// InfraClient: infra's HTTP API (docs/infra-api.md) as JSON values or Errors.
//
//   auto endpoint = MakeEndpoint(*ChooseEndpoint(server_flag, env, ReadWholeFile));
//   http::Client http;
//   InfraClient infra(**endpoint, http);
//   Result<nlohmann::json> subnets = infra.Call("GET", "/v1/subnets?vpc_id=vpc-0123");
//   if (!subnets) err << FormatError(subnets.error());   // "error: ... (field: vpc_id)"
//
// A 2xx answer is its JSON body (null for 204). Any other status is the Error that the body's
// {"error":{"code","message","field"}} describes. A refused connection is tried on another
// registry instance when there is one; transport failures are Unavailable errors that name where
// infra was looked for.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"
#include "made0/ctl/endpoint.hpp"
#include "made0/http/client.hpp"

namespace made0::ctl {

// ErrorCodeFromString inverts made0::ToString(ErrorCode); unknown codes are kInternal.
ErrorCode ErrorCodeFromString(std::string_view code);

// ErrorFromResponse is the Error a non-2xx answer stands for: the standard error body's code,
// message and field, or, for any other body, "infra answered HTTP <status>: <start of body>".
Error ErrorFromResponse(int status, std::string_view body);

// FormatError renders "error: <message> (field: <field>)", the field part only when set.
std::string FormatError(const Error& error);

class InfraClient {
 public:
  // endpoint and http must outlive this client.
  InfraClient(Endpoint& endpoint, http::Client& http,
              std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Call sends one request; body, when set, is sent as JSON.
  Result<nlohmann::json> Call(std::string_view method, const std::string& path,
                              const std::optional<nlohmann::json>& body = std::nullopt);

 private:
  Endpoint& endpoint_;
  http::Client& http_;
  std::chrono::milliseconds timeout_;
};

}  // namespace made0::ctl
