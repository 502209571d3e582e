#pragma once
// Guard: the one place where a driver failure thrown by a handler becomes an HTTP answer.
// A lost or refused database connection is 503 "unavailable" (the caller may retry); anything
// else thrown stays a 500 from the router.
//
//   router.Add("POST", "/v1/users", Guard([&](http::Request& r) { return api.SignUp(r); }));

#include "made0/http/router.hpp"

namespace made0::runtime {

http::Handler Guard(http::Handler handler);

}  // namespace made0::runtime
