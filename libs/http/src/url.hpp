#pragma once
// Request-target handling shared by the server and the router: split, percent-decode, query.

#include <string>
#include <string_view>

#include "made0/http/message.hpp"

namespace made0::http::internal {

// SplitTarget separates a request-target into its raw path and raw query (without '?').
// An absolute-form target ("http://host/p?q") is reduced to its path; an empty path becomes "/".
void SplitTarget(std::string_view target, std::string_view& path, std::string_view& query);

// PercentDecode appends the decoded `in` to `out`. Invalid escapes ("%zz", a trailing '%') are
// kept literally rather than rejected. With plus_is_space, '+' decodes to ' ' (query strings).
void PercentDecode(std::string_view in, bool plus_is_space, std::string& out);

// ParseQuery adds "a=1&b=2" to `out`; the first value of a repeated name wins.
void ParseQuery(std::string_view query, StringMap& out);

// FillFromTarget sets req.path and req.query from req.target.
void FillFromTarget(Request& req);

}  // namespace made0::http::internal
