#include "made0/verification/verification_api.hpp"

#include "made0/core/log.hpp"
#include "made0/identity/validation.hpp"
#include "made0/runtime/guard.hpp"

namespace made0::verification {

Result<std::chrono::seconds> RedisRateGate::Check(const std::string& email) {
  auto d = limiter_.Allow("resend:" + email, windows_);
  if (!d) return d.error();
  if (d->allowed) return std::chrono::seconds(0);
  // Round up: "try again in 0 seconds" would be wrong.
  return std::chrono::ceil<std::chrono::seconds>(d->retry_after);
}

Result<SignUpEvent> ParseSignUpEvent(const amqp::Delivery& d) {
  auto body = nlohmann::json::parse(d.message.body, nullptr, false);
  if (!body.is_object()) return Error::Malformed("payload is not a JSON object");
  const auto str = [&](const char* key) -> std::string {
    auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  SignUpEvent e;
  e.message_id = d.message.message_id;
  e.user_id = str("user_id");
  e.email = str("email");
  e.verified = body.value("verified", false);
  e.repeated = d.message.routing_key == "user.signup_repeated";
  if (e.message_id.empty() || e.user_id.empty() || e.user_id.size() > 64) {
    return Error::Malformed("event lacks message_id or user_id");
  }
  if (!identity::NormalizeEmail(e.email)) return Error::Malformed("event has an invalid email");
  return e;
}

void VerificationApi::AddRoutes(http::Router& router) {
  router.Add("POST", "/v1/verifications/confirm",
             runtime::Guard([this](http::Request& r) { return Confirm(r); }));
  router.Add("POST", "/v1/verifications/resend",
             runtime::Guard([this](http::Request& r) { return Resend(r); }));
}

http::Response VerificationApi::Confirm(http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return http::Response::Error(body.error());
  auto token = http::RequireString(*body, "token", 256);
  if (!token) return http::Response::Error(token.error());
  auto confirmed = service_.Confirm(*token);
  if (!confirmed) return http::Response::Error(confirmed.error());
  return http::Response::Json(
      200, {{"user_id", confirmed->user_id}, {"email", confirmed->email}, {"verified", true}});
}

http::Response VerificationApi::Resend(http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return http::Response::Error(body.error());
  auto email = http::RequireString(*body, "email", identity::kMaxEmailLength + 64);
  if (!email) return http::Response::Error(email.error());
  auto outcome = service_.Resend(*email);
  if (!outcome) return http::Response::Error(outcome.error());
  if (outcome->rate_limited) {
    const auto secs = outcome->retry_after.count();
    http::Response resp =
        http::Response::Json(429, {{"error",
                                    {{"code", "rate_limited"},
                                     {"message", "a link was sent recently; try again in " +
                                                     std::to_string(secs) + " seconds"},
                                     {"field", "email"},
                                     {"retry_after_s", secs}}}});
    resp.SetHeader("Retry-After", std::to_string(secs));
    return resp;
  }
  return http::Response::Json(202, {{"status", "sent_if_pending"}});
}

std::vector<amqp::HandlerResult> VerificationApi::OnSignUps(
    const std::vector<amqp::Delivery>& deliveries, const std::vector<TraceContext>& traces) {
  std::vector<amqp::HandlerResult> results(deliveries.size(), amqp::HandlerResult::kAck);
  std::vector<SignUpEvent> events;
  std::vector<TraceContext> event_traces;
  std::vector<std::size_t> index;  // delivery of each event
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    auto event = ParseSignUpEvent(deliveries[i]);
    if (!event) {
      log::Error("malformed sign-up event", {{"message_id", deliveries[i].message.message_id},
                                             {"error", event.error().message}});
      results[i] = {amqp::HandlerResult::kReject, event.error().message};
      continue;
    }
    events.push_back(std::move(*event));
    if (i < traces.size()) event_traces.push_back(traces[i]);
    index.push_back(i);
  }
  if (events.empty()) return results;
  std::vector<Status> done;
  try {
    done = service_.OnSignUps(events, event_traces);
  } catch (const std::exception& e) {  // the batch's lookup failed: nothing was mailed
    done.assign(events.size(), Error::Unavailable(e.what()));
  }
  for (std::size_t k = 0; k < index.size(); ++k) {
    if (!done[k]) results[index[k]] = {amqp::HandlerResult::kRetry, done[k].error().message};
  }
  return results;
}

}  // namespace made0::verification
