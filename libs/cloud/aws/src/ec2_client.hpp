#pragma once
// Ec2Client: one signed EC2 Query API call over made0's HTTP client (libcurl). The body is the
// form-encoded parameters, POSTed to the region's endpoint and signed by libcurl's own SigV4
// (scope "aws:amz:<region>:ec2"); temporary credentials add x-amz-security-token. The client
// keeps connections alive between calls.
//
//   Ec2Client ec2(config);
//   auto body = ec2.Call("us-east-1", DescribeInstancesParams({}, ""));
//   if (!body) return body.error();    // EC2's code kept, classified (ec2_errors.hpp)
//
// Transport failures (refused, reset, timed out, TLS) are kUnavailable: the call may or may not
// have happened, which is why every mutating call carries an idempotency token. Neither the
// credentials nor the request's parameters ever appear in an error.

#include <memory>
#include <string>
#include <string_view>

#include "ec2_query.hpp"
#include "made0/cloud/aws/config.hpp"
#include "made0/core/status.hpp"

namespace made0::http {
class Client;
}

namespace made0::cloud::aws {

class Ec2Client {
 public:
  explicit Ec2Client(AwsConfig config);
  ~Ec2Client();
  Ec2Client(const Ec2Client&) = delete;
  Ec2Client& operator=(const Ec2Client&) = delete;

  // Call sends params (whose first pair is Action) and returns the body of a 2xx answer.
  // Safe to call from several threads at once.
  Result<std::string> Call(std::string_view region, const Params& params);

 private:
  AwsConfig config_;
  std::unique_ptr<http::Client> http_;
};

}  // namespace made0::cloud::aws
