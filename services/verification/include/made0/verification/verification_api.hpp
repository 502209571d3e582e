#pragma once
// The verification service's HTTP API (internal; the console reaches it through the frontend):
//
//   POST /v1/verifications/confirm {"token"}  -> 200 {"user_id","email","verified":true}
//                                               404 unknown, 409 used, 410 expired, 422 malformed
//   POST /v1/verifications/resend  {"email"}  -> 202 {"status":"sent_if_pending"} | 429
//
// and the consumer of user.registered and user.signup_repeated.

#include "made0/amqp/consumer.hpp"
#include "made0/http/router.hpp"
#include "made0/redis/rate_limiter.hpp"
#include "made0/verification/verification_service.hpp"

namespace made0::verification {

// RedisRateGate limits resends per address (default 1 per minute and 5 per hour).
class RedisRateGate final : public RateGate {
 public:
  RedisRateGate(redis::RateLimiter& limiter, std::vector<redis::Window> windows)
      : limiter_(limiter), windows_(std::move(windows)) {}
  Result<std::chrono::seconds> Check(const std::string& email) override;

 private:
  redis::RateLimiter& limiter_;
  std::vector<redis::Window> windows_;
};

// ParseSignUpEvent reads a user.registered / user.signup_repeated delivery; Malformed if the
// payload lacks what the service needs.
Result<SignUpEvent> ParseSignUpEvent(const amqp::Delivery& delivery);

class VerificationApi {
 public:
  explicit VerificationApi(VerificationService& service) : service_(service) {}

  void AddRoutes(http::Router& router);
  http::Response Confirm(http::Request& req);
  http::Response Resend(http::Request& req);
  // OnSignUps handles a batch of sign-up deliveries (traces[i]: the consumer span of the i-th):
  // a malformed one is rejected, the rest go to VerificationService::OnSignUps together.
  std::vector<amqp::HandlerResult> OnSignUps(const std::vector<amqp::Delivery>& deliveries,
                                             const std::vector<TraceContext>& traces);

 private:
  VerificationService& service_;
};

}  // namespace made0::verification
