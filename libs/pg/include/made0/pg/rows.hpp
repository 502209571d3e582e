#pragma once
// Rows and Row: a query's result, copied out of the driver so it outlives the connection.
//
//   pg::Rows rows = tx.Exec("SELECT id, email, verified_at FROM users.accounts WHERE id = $1",
//   {id}); if (rows.empty()) return Error::NotFound("no such user"); std::string email =
//   rows[0].Get<std::string>("email"); std::optional<SystemTime> verified =
//   rows[0].Get<std::optional<SystemTime>>("verified_at"); for (const pg::Row& row : rows)
//   Use(row.Get<std::int64_t>(0));
//
// Get<T> supports std::string, std::int64_t, int, double, bool, SystemTime (timestamptz),
// nlohmann::json (json/jsonb) and std::optional of each. A NULL read as a non-optional type, an
// unknown column, or text that does not parse as T throws pg::ResultError: these are programming
// errors, like SQL errors.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"

namespace made0::pg {

namespace detail {

// ResultData is the text of every cell (server text format), row-major; nullopt is NULL.
struct ResultData {
  std::vector<std::string> columns;
  std::vector<std::optional<std::string>> cells;
  std::size_t rows = 0;
  std::int64_t affected_rows = 0;
};

// FromText parses one cell; `what` names the column for the error message.
void FromText(std::string_view text, std::string& out, std::string_view what);
void FromText(std::string_view text, std::int64_t& out, std::string_view what);
void FromText(std::string_view text, int& out, std::string_view what);
void FromText(std::string_view text, double& out, std::string_view what);
void FromText(std::string_view text, bool& out, std::string_view what);
void FromText(std::string_view text, SystemTime& out, std::string_view what);
void FromText(std::string_view text, nlohmann::json& out, std::string_view what);

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

}  // namespace detail

class Row {
 public:
  Row(std::shared_ptr<const detail::ResultData> data, std::size_t row)
      : data_(std::move(data)), row_(row) {}

  template <class T>
  T Get(std::size_t column) const {
    CheckColumn(column);
    const std::optional<std::string>& cell = Cell(column);
    if constexpr (detail::IsOptional<T>::value) {
      if (!cell) return std::nullopt;
      typename T::value_type out{};
      detail::FromText(*cell, out, data_->columns[column]);
      return out;
    } else {
      if (!cell) ThrowNull(column);
      T out{};
      detail::FromText(*cell, out, data_->columns[column]);
      return out;
    }
  }
  template <class T>
  T Get(std::string_view column) const {
    return Get<T>(ColumnIndex(column));
  }

  bool IsNull(std::size_t column) const {
    CheckColumn(column);
    return !Cell(column).has_value();
  }
  bool IsNull(std::string_view column) const { return IsNull(ColumnIndex(column)); }

  std::size_t size() const { return data_->columns.size(); }
  // ColumnIndex throws ResultError for an unknown name.
  std::size_t ColumnIndex(std::string_view name) const;

 private:
  const std::optional<std::string>& Cell(std::size_t column) const {
    return data_->cells[row_ * data_->columns.size() + column];
  }
  void CheckColumn(std::size_t column) const;
  [[noreturn]] void ThrowNull(std::size_t column) const;

  std::shared_ptr<const detail::ResultData> data_;
  std::size_t row_;
};

class Rows {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Row;
    Iterator(const Rows* rows, std::size_t i) : rows_(rows), i_(i) {}
    Row operator*() const { return (*rows_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++i_;
      return before;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const Rows* rows_;
    std::size_t i_;
  };

  Rows() : data_(std::make_shared<detail::ResultData>()) {}
  explicit Rows(std::shared_ptr<const detail::ResultData> data) : data_(std::move(data)) {}

  std::size_t size() const { return data_->rows; }
  bool empty() const { return data_->rows == 0; }
  // operator[] throws ResultError when i >= size().
  Row operator[](std::size_t i) const;
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }
  const std::vector<std::string>& columns() const { return data_->columns; }
  // affected_rows is the count of rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected_rows() const { return data_->affected_rows; }

 private:
  std::shared_ptr<const detail::ResultData> data_;
};

}  // namespace made0::pg
