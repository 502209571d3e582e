#pragma once
// The `local` cloud provider: a cloud::Provider whose calls go to hostd, the local cloud agent
// (services/hostd), over HTTP. hostd runs each instance as a real process on this machine.
//
//   // In a service: find hostd through the Redis registry (as the frontend finds users).
//   runtime::ServiceClient services(rt.discovery(), http_client, rt.spans(), ...);
//   auto provider = cloud::MakeLocalProvider(cloud::RegistryHostd(services));
//   // In a tool or a test: a fixed base URL.
//   auto provider = cloud::MakeLocalProvider(cloud::DirectHostd(http_client,
//   "http://127.0.0.1:4123"));
//
// Errors: a hostd that cannot be reached (refused, timed out, none registered) is kUnavailable,
// which cloud::IsRetryable accepts; hostd's own errors keep their code (404 -> kNotFound, 409 ->
// kConflict, 422 -> kInvalid with the field, 503 InsufficientInstanceCapacity -> kUnavailable).

#include <functional>
#include <memory>
#include <string>

#include "made0/cloud/provider.hpp"
#include "made0/http/client.hpp"

namespace made0::runtime {
class ServiceClient;
}

namespace made0::cloud {

// HostdRequest is one call to hostd's API; path includes the query string.
struct HostdRequest {
  std::string method;
  std::string path;  // "/v1/instances?region=us-east-1"
  std::string body;  // JSON, or empty
  // repeatable: sending it twice is harmless (reads, terminations, creates with a token), so a
  // transport may resend it to another hostd instance after a broken exchange.
  bool repeatable = false;
};

// HostdTransport sends a request and returns hostd's answer; only transport failures are errors.
using HostdTransport = std::function<Result<http::ClientResponse>(const HostdRequest&)>;

// DirectHostd talks to one hostd at base_url ("http://127.0.0.1:4123"); client must outlive it.
HostdTransport DirectHostd(http::Client& client, std::string base_url);
// RegistryHostd picks a live hostd from the registry on every call; services must outlive it.
HostdTransport RegistryHostd(runtime::ServiceClient& services);

std::unique_ptr<Provider> MakeLocalProvider(HostdTransport transport);

}  // namespace made0::cloud
