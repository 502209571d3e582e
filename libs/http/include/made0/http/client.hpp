#pragma once
// Client: a small, thread-safe HTTP/1.1 client for service-to-service calls (libcurl underneath,
// not visible here). Connections are kept alive and reused across calls.
//
//   Client client;
//   auto resp = client.Send({.method = "POST", .url = "http://127.0.0.1:41234/v1/users",
//                            .headers = {{"Content-Type", "application/json"}},
//                            .body = R"({"email":"a@example.test"})"});
//   if (!resp) return resp.error();            // kUnavailable: refused, reset, timed out
//   if (resp->status != 201) ...               // any HTTP status is a successful exchange
//
// Only transport failures are errors; interpreting the status is the caller's job.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "made0/core/status.hpp"
#include "made0/http/message.hpp"

namespace made0::http {

// AwsSigV4 has libcurl sign a request with AWS Signature Version 4 (CURLOPT_AWS_SIGV4): it adds
// X-Amz-Date and Authorization over the request's headers and body. The credentials stay in the
// call; no error or log shows them.
struct AwsSigV4 {
  std::string scope;  // "aws:amz:<region>:<service>", e.g. "aws:amz:us-east-1:ec2"
  std::string access_key_id;
  std::string secret_access_key;
};

struct ClientRequest {
  std::string method = "GET";
  std::string url{};  // "http://127.0.0.1:port/path?query"
  Headers headers{};
  std::string body{};
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};  // the whole exchange
  std::optional<AwsSigV4> aws_sigv4{};
};

struct ClientResponse {
  int status = 0;
  Headers headers{};  // of the final response (not of a 100 Continue)
  std::string body{};

  std::optional<std::string_view> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// kConnectFailedPrefix starts the message of an error whose connection was never established
// (refused, no route): the request cannot have had any effect.
inline constexpr std::string_view kConnectFailedPrefix = "connect failed: ";

// IsConnectFailure is true for such an error, so a caller may safely send the request to another
// instance; after a timeout or a reset the request may have been processed.
bool IsConnectFailure(const made0::Error& error);

// kTimedOutPrefix starts the message of an exchange that ran out of time; the server may still
// be working on it.
inline constexpr std::string_view kTimedOutPrefix = "timed out: ";
bool IsTimeout(const made0::Error& error);

class Client {
 public:
  // max_idle_handles bounds the connections kept open between calls (one per idle handle).
  explicit Client(std::size_t max_idle_handles = 16);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Send performs one exchange. Safe to call from several threads at once.
  Result<ClientResponse> Send(const ClientRequest& request);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace made0::http
