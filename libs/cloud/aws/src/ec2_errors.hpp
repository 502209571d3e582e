#pragma once
// What an EC2 failure means to made0: EC2's error codes (and HTTP statuses without one) mapped
// to ErrorCode, so that callers know what to retry (cloud::IsRetryable). Pure; tested from a
// table in ec2_errors_test.cpp.
//
//   ClassifyEc2Error("InvalidSubnetID.NotFound", 400)  -> kNotFound
//   ClassifyEc2Error("RequestLimitExceeded", 503)      -> kRateLimited (retry, same token)
//   ErrorFromResponse("RunInstances", 400, body)       -> {kNotFound,
//       "InvalidSubnetID.NotFound: The subnet ID 'subnet-x' does not exist"}

#include <string_view>

#include "made0/core/status.hpp"

namespace made0::cloud::aws {

// ClassifyEc2Error maps an EC2 error code ("Client."/"Server." prefixes ignored) to an
// ErrorCode; an unknown code falls back on the HTTP status (5xx retryable).
ErrorCode ClassifyEc2Error(std::string_view code, int http_status);

// ErrorFromResponse turns a non-2xx answer into an Error. The message is "<Code>: <Message>"
// from EC2's error document, or names the action and status when the body is not one (an
// HTML page from a proxy, an empty 503). The request's own contents never appear in it.
Error ErrorFromResponse(std::string_view action, int http_status, std::string_view body);

}  // namespace made0::cloud::aws
