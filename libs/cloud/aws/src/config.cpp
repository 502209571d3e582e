#include "made0/cloud/aws/config.hpp"

namespace made0::cloud::aws {

Result<AwsConfig> AwsConfig::FromEnv(const Env& env, std::vector<ConfigVar>* vars) {
  ConfigReader r(env);
  AwsConfig c;
  // The defaults recorded for --help-config are empty strings: no value is ever recorded.
  c.access_key_id = r.String("AWS_ACCESS_KEY_ID", "", "AWS access key ID (required)");
  c.secret_access_key = r.String("AWS_SECRET_ACCESS_KEY", "", "AWS secret access key (required)");
  c.session_token = r.String("AWS_SESSION_TOKEN", "", "session token of temporary credentials");
  c.endpoint = r.String("MADE0_AWS_ENDPOINT", "",
                        "EC2 endpoint for every region; empty: https://ec2.<region>.amazonaws.com");
  c.timeout = r.Duration("MADE0_AWS_TIMEOUT", std::chrono::seconds(30), "one EC2 request");
  if (vars != nullptr) vars->insert(vars->end(), r.Vars().begin(), r.Vars().end());
  if (Status st = r.Finish(); !st) return st.error();

  if (c.access_key_id.empty()) {
    return Error::Invalid("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID is not set");
  }
  if (c.secret_access_key.empty()) {
    return Error::Invalid("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY is not set");
  }
  if (!c.endpoint.empty() && !c.endpoint.starts_with("http://") &&
      !c.endpoint.starts_with("https://")) {
    return Error::Invalid(
        "MADE0_AWS_ENDPOINT",
        "MADE0_AWS_ENDPOINT must start with http:// or https://, got '" + c.endpoint + "'");
  }
  while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();
  if (c.timeout.count() <= 0) {
    return Error::Invalid("MADE0_AWS_TIMEOUT", "MADE0_AWS_TIMEOUT must be positive");
  }
  return c;
}

std::string EndpointFor(const AwsConfig& config, std::string_view region) {
  if (!config.endpoint.empty()) return config.endpoint;
  return "https://ec2." + std::string(region) + ".amazonaws.com";
}

}  // namespace made0::cloud::aws
