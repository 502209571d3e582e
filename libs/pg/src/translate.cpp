#include "translate.hpp"

#include <pqxx/except>

#include <string>

#include "made0/pg/errors.hpp"

namespace made0::pg::detail {
namespace {

// Connection-level SQLSTATEs: class 08 (connection exception), the server shutting down or
// starting up (57P01-57P03), and too many connections (53300). All mean "try again later", 503.
bool IsConnectionState(const std::string& state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "53300";
}

std::string Trimmed(const char* what) {
  std::string s(what);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::exception_ptr Translate(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const pqxx::broken_connection& x) {
    return std::make_exception_ptr(
        ConnectionError("postgres connection failed: " + Trimmed(x.what())));
  } catch (const pqxx::in_doubt_error& x) {
    return std::make_exception_ptr(ConnectionError(
        "postgres connection lost during commit; the transaction may or may not have committed: " +
        Trimmed(x.what())));
  } catch (const pqxx::serialization_failure& x) {
    return std::make_exception_ptr(QueryError(Trimmed(x.what()), "40001"));
  } catch (const pqxx::deadlock_detected& x) {
    return std::make_exception_ptr(QueryError(Trimmed(x.what()), "40P01"));
  } catch (const pqxx::statement_completion_unknown& x) {
    return std::make_exception_ptr(QueryError(Trimmed(x.what()), "40003"));
  } catch (const pqxx::transaction_rollback& x) {
    return std::make_exception_ptr(QueryError(Trimmed(x.what()), "40000"));
  } catch (const pqxx::sql_error& x) {
    const std::string& state = x.sqlstate();
    if (state == "23505") return std::make_exception_ptr(UniqueViolation(Trimmed(x.what())));
    if (IsConnectionState(state)) {
      return std::make_exception_ptr(ConnectionError("postgres unavailable: " + Trimmed(x.what())));
    }
    return std::make_exception_ptr(QueryError(Trimmed(x.what()), state));
  } catch (const pqxx::failure& x) {
    return std::make_exception_ptr(QueryError(Trimmed(x.what()), ""));
  } catch (const pqxx::pqxx_exception& x) {
    // usage_error, conversion_error, range_error, internal_error: misuse of the driver.
    return std::make_exception_ptr(Error(Trimmed(x.base().what())));
  } catch (...) {
    return std::current_exception();
  }
}

bool IsConnectionError(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const ConnectionError&) {
    return true;
  } catch (...) {
    return false;
  }
}

bool IsRetryable(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const QueryError& x) {
    return x.sqlstate() == "40001" || x.sqlstate() == "40P01";
  } catch (...) {
    return false;
  }
}

}  // namespace made0::pg::detail
