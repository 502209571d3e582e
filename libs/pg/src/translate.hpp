#pragma once
// The one place where libpqxx's exceptions become made0::pg's (made0/pg/errors.hpp).

#include <exception>

namespace made0::pg::detail {

// Translate maps a driver exception to its made0::pg counterpart; anything else (an exception
// thrown by a transaction body, or already translated) is returned unchanged.
std::exception_ptr Translate(std::exception_ptr e);

// IsConnectionError is true for a (translated) ConnectionError.
bool IsConnectionError(const std::exception_ptr& e);

// IsRetryable is true for a (translated) serialization failure or deadlock.
bool IsRetryable(const std::exception_ptr& e);

}  // namespace made0::pg::detail
