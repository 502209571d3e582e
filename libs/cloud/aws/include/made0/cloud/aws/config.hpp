#pragma once
// AwsConfig: credentials and transport settings of the `aws` provider (made0::cloud_aws).
//
//   made0::ProcessEnv env;
//   auto config = cloud::aws::AwsConfig::FromEnv(env);
//   if (!config) Fatal(config.error().message);      // names the bad variable, never its value
//   auto provider = cloud::aws::NewAwsProvider(*config);
//
// Variables (an empty variable means its default):
//   AWS_ACCESS_KEY_ID       (required, no default)  the access key ID used to sign requests
//   AWS_SECRET_ACCESS_KEY   (required, no default)  its secret; never logged, never in an error
//   AWS_SESSION_TOKEN       (default: empty)        temporary credentials' token, sent as the
//                                                   x-amz-security-token header when set
//   MADE0_AWS_ENDPOINT      (default: empty)        the EC2 endpoint for every region, e.g.
//                                                   http://127.0.0.1:4566; empty means
//                                                   https://ec2.<region>.amazonaws.com
//   MADE0_AWS_TIMEOUT       (default: 30s)          the whole of one EC2 request (connect, send,
//                                                   answer)

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/config.hpp"
#include "made0/core/status.hpp"

namespace made0::cloud::aws {

struct AwsConfig {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term credentials
  std::string endpoint;       // empty: https://ec2.<region>.amazonaws.com
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};

  // FromEnv reads the variables above. A missing key ID or secret is kInvalid naming the
  // variable. When vars is not null, the variables read are appended to it (for --help-config).
  static Result<AwsConfig> FromEnv(const Env& env, std::vector<ConfigVar>* vars = nullptr);
};

// EndpointFor is the base URL that requests for `region` go to (no trailing slash).
std::string EndpointFor(const AwsConfig& config, std::string_view region);

}  // namespace made0::cloud::aws
