#pragma once
// Exceptions of made0::pg. The driver's exceptions never leave this library: they are translated
// in exactly one place (src/translate.cpp) into these types.
//
// Why exceptions and not Result here: an SQL error is almost always a programming error (a typo,
// a missing migration, a violated constraint the code should have prevented), and a lost
// connection aborts the whole request anyway. So:
//   - ConnectionError (server down, connection refused or lost, pool exhausted, server shutting
//     down): services catch it at their HTTP boundary and answer 503 (made0::Error::Unavailable).
//   - UniqueViolation: the one SQL error with a common, expected meaning (a duplicate email, a
//     second insert of the same idempotency key). Catch it where a conflict is expected and turn
//     it into Error::Conflict, or better, use INSERT ... ON CONFLICT.
//   - QueryError: any other SQL error, with its SQLSTATE; a 500.
//   - ResultError: reading a result wrongly (NULL into a non-optional, unknown column, bad type).
//
//   try {
//     db.InTransaction([&](pg::Transaction& tx) { tx.Exec("INSERT ...", {email}); });
//   } catch (const pg::UniqueViolation&) {
//     return Error::Conflict("email already registered");
//   }

#include <stdexcept>
#include <string>

namespace made0::pg {

// Error is the base of every exception made0::pg throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ConnectionError: the database cannot be reached or the connection broke. When it escapes a
// commit the outcome of that transaction is unknown (the message says so).
class ConnectionError : public Error {
 public:
  using Error::Error;
};

// QueryError: the server rejected a statement; sqlstate() is the five-character SQLSTATE
// ("42P01" undefined table, "40001" serialization failure after all retries, ...), or empty when
// the driver refused the call before sending it.
class QueryError : public Error {
 public:
  QueryError(const std::string& message, std::string sqlstate)
      : Error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// UniqueViolation: SQLSTATE 23505.
class UniqueViolation : public QueryError {
 public:
  explicit UniqueViolation(const std::string& message) : QueryError(message, "23505") {}
};

// ResultError: a result was read in a way that does not match it.
class ResultError : public Error {
 public:
  using Error::Error;
};

}  // namespace made0::pg
