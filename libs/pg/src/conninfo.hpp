#pragma once
// Connection strings: adds what made0 relies on (a connect timeout, TCP keepalives) to a URL or a
// key=value string, without overriding what the caller set.

#include <chrono>
#include <string>
#include <string_view>

namespace made0::pg::detail {

std::string BuildConnectionString(std::string_view url, std::chrono::seconds connect_timeout);

}  // namespace made0::pg::detail
