#pragma once
// The JSON wire format between the local provider (made0::cloud_local) and hostd, shared by both
// sides so they cannot drift apart. Objects are the provider interface's own structs
// (made0/cloud/provider.hpp); times are RFC 3339 UTC; endpoints are "127.0.0.1:port".
//
//   hostd:     return http::Response::Json(201, wire::ToJson(instance));
//   provider:  auto inst = wire::InstanceFromJson(nlohmann::json::parse(resp.body));
//
// Errors travel as made0's standard {"error":{"code","message","field"}}; ErrorFromResponse turns
// one back into an Error with the same code, so hostd's "InvalidSubnetID.NotFound" 404 arrives as
// kNotFound and its 503 InsufficientInstanceCapacity as kUnavailable (retryable).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "made0/cloud/provider.hpp"
#include "made0/core/status.hpp"

namespace made0::cloud::wire {

nlohmann::json ToJson(const Vpc& v);
nlohmann::json ToJson(const Subnet& s);
nlohmann::json ToJson(const IngressRule& r);
nlohmann::json ToJson(const SecurityGroup& g);
nlohmann::json ToJson(const Instance& i);

// Request bodies, as the provider sends them (hostd validates them field by field).
nlohmann::json ToJson(const VpcSpec& s);
nlohmann::json ToJson(const SubnetSpec& s);
nlohmann::json ToJson(const SecurityGroupSpec& s);
nlohmann::json ToJson(const RunInstanceSpec& s);

// The FromJson functions return kInternal for a body that does not have the expected shape
// (a hostd of another version, say), naming the first field at fault.
Result<Vpc> VpcFromJson(const nlohmann::json& j);
Result<Subnet> SubnetFromJson(const nlohmann::json& j);
Result<IngressRule> IngressRuleFromJson(const nlohmann::json& j);
Result<SecurityGroup> SecurityGroupFromJson(const nlohmann::json& j);
Result<Instance> InstanceFromJson(const nlohmann::json& j);

// ParseRfc3339 reads "2026-12-03T18:16:09.123Z" (fraction optional, UTC only).
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// ParseErrorCode is the inverse of made0::ToString(ErrorCode).
std::optional<ErrorCode> ParseErrorCode(std::string_view text);

// ErrorFromResponse maps a non-2xx answer to an Error: the body's error code when it has one,
// else by HTTP status (5xx other than 500/501 -> kUnavailable, so a proxy's 502 is retried).
Error ErrorFromResponse(int status, std::string_view body);

}  // namespace made0::cloud::wire
