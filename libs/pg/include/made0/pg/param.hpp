#pragma once
// Param: one value bound to a $n placeholder. Values always travel separately from the SQL text
// (PQexecParams), so nothing a user typed can change a statement's meaning.
//
//   tx.Exec("INSERT INTO users.accounts(id, email, created_at, profile) VALUES ($1, $2, $3, $4)",
//            {id, email, clock.Now(), nlohmann::json{{"name", name}}});
//   tx.Exec("UPDATE users.accounts SET deleted_at = $1 WHERE id = $2", {nullptr, id});
//
// Every value is sent as text with an unspecified type and the server infers the type from the
// context; where the context is ambiguous, cast in SQL ($1::timestamptz, $2::jsonb).

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"

namespace made0::pg {

class Param {
 public:
  using Value = std::variant<std::nullptr_t, std::string, std::int64_t, double, bool>;

  Param(std::nullptr_t) : value_(nullptr) {}             // NOLINT: SQL NULL
  Param(std::string s) : value_(std::move(s)) {}         // NOLINT
  Param(std::string_view s) : value_(std::string(s)) {}  // NOLINT
  Param(const char* s) {                                 // NOLINT: a null pointer is NULL
    if (s == nullptr) {
      value_ = nullptr;
    } else {
      value_ = std::string(s);
    }
  }
  Param(bool b) : value_(b) {}  // NOLINT
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Param(T v)
      : value_(CheckedInt64(v)) {}  // NOLINT
  Param(double d) : value_(d) {}    // NOLINT
  // Param(SystemTime) is sent as ISO 8601 UTC with microseconds, for timestamptz columns.
  Param(SystemTime t) : value_(FormatTimestamp(t)) {}  // NOLINT
  // Param(json) is sent as JSON text, for json/jsonb columns. Only an actual nlohmann::json
  // matches, so a map or a vector never turns into JSON by accident.
  template <class J>
  requires std::same_as<std::remove_cvref_t<J>, nlohmann::json> Param(const J& j)
      : value_(j.dump()) {}  // NOLINT
  // Param(optional<T>) is NULL when empty.
  template <class T>
  Param(const std::optional<T>& v) : Param(nullptr) {  // NOLINT
    if (v) *this = Param(*v);
  }

  const Value& value() const { return value_; }
  bool IsNull() const { return std::holds_alternative<std::nullptr_t>(value_); }
  // ToText is what the server receives: nullopt for NULL.
  std::optional<std::string> ToText() const;

  // Array is one parameter holding every element, as a PostgreSQL array literal, for a statement
  // whose text must not depend on how many values it carries ($1::bigint[], unnest($1::text[])):
  // each element is the server text of its Param, quoted and escaped, NULL for a null one.
  //   tx.Exec("DELETE FROM t WHERE id = ANY($1::bigint[])", {Param::Array(ids)});
  static Param Array(const std::vector<Param>& elements);

  // FormatTimestamp renders t as "2026-12-03T18:16:09.123456Z".
  static std::string FormatTimestamp(SystemTime t);

 private:
  template <class T>
  static std::int64_t CheckedInt64(T v) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (v > static_cast<T>(INT64_MAX)) ThrowOutOfRange();
    }
    return static_cast<std::int64_t>(v);
  }
  [[noreturn]] static void ThrowOutOfRange();

  Value value_;
};

}  // namespace made0::pg
