#include "ec2_errors.hpp"

#include <gtest/gtest.h>

#include "made0/cloud/provider.hpp"
#include "testdata.hpp"

namespace made0::cloud::aws {
namespace {

using testing::ReadTestdata;

struct ClassifyCase {
  std::string code;
  int status;
  ErrorCode want;
};

TEST(ClassifyEc2Error, Table) {
  const ClassifyCase cases[] = {
      // Retryable.
      {"RequestLimitExceeded", 503, ErrorCode::kRateLimited},
      {"Throttling", 400, ErrorCode::kRateLimited},
      {"InternalError", 500, ErrorCode::kUnavailable},
      {"Server.InternalError", 500, ErrorCode::kUnavailable},
      {"Unavailable", 503, ErrorCode::kUnavailable},
      {"ServiceUnavailable", 503, ErrorCode::kUnavailable},
      {"InsufficientInstanceCapacity", 500, ErrorCode::kUnavailable},
      // Not found and malformed, by family.
      {"InvalidSubnetID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidInstanceID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidVpcID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidGroup.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidAMIID.NotFound", 400, ErrorCode::kNotFound},
      {"InvalidInstanceID.Malformed", 400, ErrorCode::kInvalid},
      {"InvalidSubnetID.Malformed", 400, ErrorCode::kInvalid},
      // The request.
      {"InvalidParameterValue", 400, ErrorCode::kInvalid},
      {"InvalidParameterCombination", 400, ErrorCode::kInvalid},
      {"MissingParameter", 400, ErrorCode::kInvalid},
      {"InvalidSubnet.Range", 400, ErrorCode::kInvalid},
      {"InstanceLimitExceeded", 400, ErrorCode::kInvalid},
      {"VcpuLimitExceeded", 400, ErrorCode::kInvalid},
      {"InvalidInput", 400, ErrorCode::kInvalid},
      // Conflicts.
      {"IdempotentParameterMismatch", 400, ErrorCode::kConflict},
      {"InvalidGroup.Duplicate", 400, ErrorCode::kConflict},
      {"InvalidPermission.Duplicate", 400, ErrorCode::kConflict},
      {"InvalidIPAddress.InUse", 400, ErrorCode::kConflict},
      {"InvalidSubnet.Conflict", 400, ErrorCode::kConflict},
      {"DependencyViolation", 400, ErrorCode::kConflict},
      // Credentials and permissions.
      {"AuthFailure", 401, ErrorCode::kUnauthenticated},
      {"SignatureDoesNotMatch", 403, ErrorCode::kUnauthenticated},
      {"RequestExpired", 400, ErrorCode::kUnauthenticated},
      {"UnauthorizedOperation", 403, ErrorCode::kPermissionDenied},
      {"Client.UnauthorizedOperation", 403, ErrorCode::kPermissionDenied},
      // Unknown codes fall back on the status.
      {"SomethingNew", 503, ErrorCode::kUnavailable},
      {"SomethingNew", 500, ErrorCode::kUnavailable},
      {"SomethingNew", 429, ErrorCode::kRateLimited},
      {"SomethingNew", 403, ErrorCode::kPermissionDenied},
      {"SomethingNew", 400, ErrorCode::kInvalid},
      {"", 502, ErrorCode::kUnavailable},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ClassifyEc2Error(c.code, c.status), c.want)
        << c.code << " " << c.status << " gave " << ToString(ClassifyEc2Error(c.code, c.status));
  }
}

TEST(ErrorFromResponse, KeepsTheEc2CodeInTheMessage) {
  Error e = ErrorFromResponse("RunInstances", 400, ReadTestdata("error_invalid_subnet.xml"));
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "InvalidSubnetID.NotFound: The subnet ID 'subnet-x' does not exist");
  EXPECT_FALSE(IsRetryable(e));

  Error t = ErrorFromResponse("RunInstances", 503, ReadTestdata("error_throttled.xml"));
  EXPECT_EQ(t.code, ErrorCode::kRateLimited);
  EXPECT_EQ(t.message, "RequestLimitExceeded: Request limit exceeded.");
  EXPECT_TRUE(IsRetryable(t));
}

TEST(ErrorFromResponse, WithoutAnEc2ErrorDocumentUsesTheStatus) {
  Error gw = ErrorFromResponse("CreateVpc", 502, "<html>Bad Gateway</html>");
  EXPECT_EQ(gw.code, ErrorCode::kUnavailable);
  EXPECT_EQ(gw.message, "EC2 CreateVpc answered HTTP 502");
  EXPECT_TRUE(IsRetryable(gw));
  EXPECT_EQ(ErrorFromResponse("CreateVpc", 503, "").code, ErrorCode::kUnavailable);
  EXPECT_EQ(ErrorFromResponse("CreateVpc", 400, "").code, ErrorCode::kInvalid);
}

}  // namespace
}  // namespace made0::cloud::aws
