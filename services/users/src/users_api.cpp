#include "made0/users/users_api.hpp"

#include <regex>

#include "made0/core/log.hpp"
#include "made0/identity/validation.hpp"
#include "made0/runtime/guard.hpp"

namespace made0::users {
namespace {

std::string_view BearerToken(const http::Request& req) {
  auto h = req.Header("Authorization");
  if (!h || h->rfind("Bearer ", 0) != 0) return {};
  return h->substr(7);
}

struct Credentials {
  std::string email;
  std::string password;
};

// ReadCredentials reads {"email","password"}; lengths are bounded before any work is done.
Result<Credentials> ReadCredentials(const http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return body.error();
  auto email = http::RequireString(*body, "email", identity::kMaxEmailLength + 64);
  if (!email) return email.error();
  // A byte limit of 4 per code point keeps the longest valid password acceptable.
  auto password = http::RequireString(*body, "password", identity::kMaxPasswordLength * 4);
  if (!password) return password.error();
  return Credentials{std::move(*email), std::move(*password)};
}

bool IsUuid(const std::string& s) {
  static const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(s, kUuid);
}

}  // namespace

nlohmann::json UserJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"verified", user.verified},
          {"created_at", FormatRfc3339(user.created_at)}};
}

void UsersApi::AddRoutes(http::Router& router) {
  router.Add("POST", "/v1/users", runtime::Guard([this](http::Request& r) { return SignUp(r); }));
  router.Add("POST", "/v1/sessions", runtime::Guard([this](http::Request& r) { return Login(r); }));
  router.Add("GET", "/v1/sessions/current",
             runtime::Guard([this](http::Request& r) { return Current(r); }));
  router.Add("DELETE", "/v1/sessions/current",
             runtime::Guard([this](http::Request& r) { return Logout(r); }));
}

http::Response UsersApi::SignUp(http::Request& req) {
  auto creds = ReadCredentials(req);
  if (!creds) return http::Response::Error(creds.error());
  auto email = service_.SignUp(creds->email, creds->password);
  if (!email) return http::Response::Error(email.error());
  return http::Response::Json(202, {{"email", *email}, {"status", "verification_sent"}});
}

http::Response UsersApi::Login(http::Request& req) {
  auto creds = ReadCredentials(req);
  if (!creds) return http::Response::Error(creds.error());
  auto login = service_.Login(creds->email, creds->password);
  if (!login) return http::Response::Error(login.error());
  return http::Response::Json(201, {{"token", login->session.token},
                                    {"expires_at", FormatRfc3339(login->session.expires_at)},
                                    {"user", UserJson(login->user)}});
}

http::Response UsersApi::Current(http::Request& req) {
  auto user = service_.CurrentUser(BearerToken(req));
  if (!user) return http::Response::Error(user.error());
  return http::Response::Json(200, {{"user", UserJson(*user)}});
}

http::Response UsersApi::Logout(http::Request& req) {
  service_.Logout(BearerToken(req));
  return http::Response::NoContent();
}

amqp::HandlerResult UsersApi::OnUserVerified(const amqp::Delivery& d) {
  nlohmann::json body = nlohmann::json::parse(d.message.body, nullptr, false);
  if (!body.is_object() || !body.contains("user_id") || !body["user_id"].is_string() ||
      !IsUuid(body["user_id"].get<std::string>()) || d.message.message_id.empty()) {
    log::Error("malformed user.verified event", {{"message_id", d.message.message_id}});
    return {amqp::HandlerResult::kReject, "malformed user.verified event"};
  }
  service_.OnUserVerified(body["user_id"].get<std::string>(), d.message.message_id);
  return amqp::HandlerResult::kAck;
}

}  // namespace made0::users
