#include "ec2_errors.hpp"

#include <array>
#include <string>
#include <utility>

#include "ec2_xml.hpp"

namespace made0::cloud::aws {
namespace {

// Exact codes first: they decide the cases a suffix rule would get wrong (RequestLimitExceeded
// is throttling, not a quota).
constexpr std::array<std::pair<std::string_view, ErrorCode>, 24> kExact{{
    // Transient: the caller backs off and retries with the same idempotency token.
    {"RequestLimitExceeded", ErrorCode::kRateLimited},
    {"Throttling", ErrorCode::kRateLimited},
    {"ThrottlingException", ErrorCode::kRateLimited},
    {"RequestThrottled", ErrorCode::kRateLimited},
    {"InternalError", ErrorCode::kUnavailable},
    {"InternalFailure", ErrorCode::kUnavailable},
    {"Unavailable", ErrorCode::kUnavailable},
    {"ServiceUnavailable", ErrorCode::kUnavailable},
    {"InsufficientInstanceCapacity", ErrorCode::kUnavailable},
    {"InsufficientAddressCapacity", ErrorCode::kUnavailable},
    {"InsufficientCapacity", ErrorCode::kUnavailable},
    // Credentials and permissions.
    {"AuthFailure", ErrorCode::kUnauthenticated},
    {"InvalidClientTokenId", ErrorCode::kUnauthenticated},
    {"SignatureDoesNotMatch", ErrorCode::kUnauthenticated},
    {"MissingAuthenticationToken", ErrorCode::kUnauthenticated},
    {"RequestExpired", ErrorCode::kUnauthenticated},  // clock skew or an expired session token
    {"UnauthorizedOperation", ErrorCode::kPermissionDenied},
    {"OptInRequired", ErrorCode::kPermissionDenied},
    {"Blocked", ErrorCode::kPermissionDenied},
    // The request itself.
    {"InvalidParameterValue", ErrorCode::kInvalid},
    {"InvalidParameterCombination", ErrorCode::kInvalid},
    {"MissingParameter", ErrorCode::kInvalid},
    {"UnknownParameter", ErrorCode::kInvalid},
    // The same token with different parameters, as EC2's ClientToken defines it.
    {"IdempotentParameterMismatch", ErrorCode::kConflict},
}};

// Then families by suffix: "InvalidSubnetID.NotFound", "InvalidAMIID.Malformed",
// "InvalidGroup.Duplicate", "InvalidIPAddress.InUse", "InvalidSubnet.Conflict".
constexpr std::array<std::pair<std::string_view, ErrorCode>, 7> kSuffix{{
    {".NotFound", ErrorCode::kNotFound},
    {".Malformed", ErrorCode::kInvalid},
    {".Duplicate", ErrorCode::kConflict},
    {".InUse", ErrorCode::kConflict},
    {".Conflict", ErrorCode::kConflict},
    // Account quotas (InstanceLimitExceeded, VcpuLimitExceeded, VpcLimitExceeded): retrying
    // does not help until someone raises the quota.
    {"LimitExceeded", ErrorCode::kInvalid},
    {".Range", ErrorCode::kInvalid},
}};

ErrorCode FromStatus(int http_status) {
  if (http_status == 429) return ErrorCode::kRateLimited;
  if (http_status >= 500) return ErrorCode::kUnavailable;
  if (http_status == 401) return ErrorCode::kUnauthenticated;
  if (http_status == 403) return ErrorCode::kPermissionDenied;
  if (http_status == 404) return ErrorCode::kNotFound;
  if (http_status == 409) return ErrorCode::kConflict;
  if (http_status >= 400) return ErrorCode::kInvalid;
  return ErrorCode::kInternal;  // a 1xx/3xx EC2 never sends
}

}  // namespace

ErrorCode ClassifyEc2Error(std::string_view code, int http_status) {
  for (std::string_view prefix : {"Client.", "Server."}) {
    if (code.starts_with(prefix)) code.remove_prefix(prefix.size());
  }
  for (const auto& [name, ec] : kExact) {
    if (code == name) return ec;
  }
  for (const auto& [suffix, ec] : kSuffix) {
    if (code.ends_with(suffix)) return ec;
  }
  if (code.starts_with("Invalid")) return ErrorCode::kInvalid;  // InvalidInput, InvalidAction...
  if (code == "DependencyViolation") return ErrorCode::kConflict;
  return FromStatus(http_status);
}

Error ErrorFromResponse(std::string_view action, int http_status, std::string_view body) {
  if (auto e = ParseEc2Error(body)) {
    return {ClassifyEc2Error(e->code, http_status), e->code + ": " + e->message, {}};
  }
  return {FromStatus(http_status),
          "EC2 " + std::string(action) + " answered HTTP " + std::to_string(http_status),
          {}};
}

}  // namespace made0::cloud::aws
