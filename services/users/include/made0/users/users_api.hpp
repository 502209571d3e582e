#pragma once
// The users service's HTTP API (internal; the console reaches it through the frontend):
//
//   POST   /v1/users             {"email","password"}  -> 202 {"email"}
//   POST   /v1/sessions          {"email","password"}  -> 201 {"token","expires_at","user"}
//   GET    /v1/sessions/current  Authorization: Bearer <token> -> 200 {"user"} | 401
//   DELETE /v1/sessions/current  Authorization: Bearer <token> -> 204
//
// and the user.verified consumer, which marks accounts verified exactly once per message.

#include <nlohmann/json.hpp>

#include "made0/amqp/consumer.hpp"
#include "made0/http/router.hpp"
#include "made0/users/users_service.hpp"

namespace made0::users {

nlohmann::json UserJson(const User& user);

class UsersApi {
 public:
  explicit UsersApi(UsersService& service) : service_(service) {}

  void AddRoutes(http::Router& router);
  http::Response SignUp(http::Request& req);
  http::Response Login(http::Request& req);
  http::Response Current(http::Request& req);
  http::Response Logout(http::Request& req);

  // OnUserVerified handles a user.verified delivery.
  amqp::HandlerResult OnUserVerified(const amqp::Delivery& delivery);

 private:
  UsersService& service_;
};

}  // namespace made0::users
