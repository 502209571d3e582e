#include "made0/runtime/guard.hpp"

#include "made0/core/log.hpp"
#include "made0/pg/errors.hpp"

namespace made0::runtime {

http::Handler Guard(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& req) -> http::Response {
    try {
      return handler(req);
    } catch (const pg::ConnectionError& e) {
      log::Warn("database unavailable", {{"route", req.route}, {"error", e.what()}});
      return http::Response::Error(
          Error::Unavailable("the database is unavailable; please try again shortly"));
    } catch (const UnavailableError& e) {
      log::Warn("dependency unavailable", {{"route", req.route}, {"error", e.what()}});
      return http::Response::Error(
          Error::Unavailable("a dependency is unavailable; please try again shortly"));
    }
  };
}

}  // namespace made0::runtime
