#include "made0/pg/rows.hpp"

#include <charconv>
#include <limits>

#include "made0/pg/errors.hpp"

namespace made0::pg {
namespace detail {
namespace {

[[noreturn]] void Bad(std::string_view text, std::string_view what, std::string_view type) {
  std::string shown(text.substr(0, 64));
  throw ResultError("column " + std::string(what) + ": cannot read '" + shown + "' as " +
                    std::string(type));
}

// Digits reads exactly n decimal digits at text[pos].
bool Digits(std::string_view text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// ParseTimestamp reads PostgreSQL's ISO output of timestamptz ("2026-12-03 18:16:09.123456+00",
// offsets like "+05:30" or "-03:00:15"), also with 'T' and 'Z' as ISO 8601 writes them.
bool ParseTimestamp(std::string_view s, SystemTime& out) {
  using namespace std::chrono;
  if (s == "infinity") {
    out = SystemTime::max();
    return true;
  }
  if (s == "-infinity") {
    out = SystemTime::min();
    return true;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != ' ' && s[10] != 'T') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, sec)) {
    return false;
  }
  std::size_t pos = 19;
  long long micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return false;
    for (; digits < 6; ++digits) micros *= 10;
  }
  long long offset_s = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0, os = 0;
    if (!Digits(s, pos + 1, 2, oh)) return false;
    pos += 3;
    if (pos < s.size() && s[pos] == ':') {
      if (!Digits(s, pos + 1, 2, om)) return false;
      pos += 3;
      if (pos < s.size() && s[pos] == ':') {
        if (!Digits(s, pos + 1, 2, os)) return false;
        pos += 3;
      }
    }
    offset_s = sign * (oh * 3600LL + om * 60LL + os);
  } else {
    return false;  // a timestamp without time zone: refuse rather than guess
  }
  if (pos != s.size()) return false;  // e.g. " BC"
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return false;
  const auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros} -
                 seconds{offset_s};
  out = time_point_cast<SystemTime::duration>(t);
  return true;
}

}  // namespace

void FromText(std::string_view text, std::string& out, std::string_view) { out = text; }

void FromText(std::string_view text, std::int64_t& out, std::string_view what) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) Bad(text, what, "bigint");
}

void FromText(std::string_view text, int& out, std::string_view what) {
  std::int64_t v = 0;
  FromText(text, v, what);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    Bad(text, what, "int");
  }
  out = static_cast<int>(v);
}

void FromText(std::string_view text, double& out, std::string_view what) {
  if (text == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity") {
    out = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity") {
    out = -std::numeric_limits<double>::infinity();
  } else {
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) Bad(text, what, "double");
  }
}

void FromText(std::string_view text, bool& out, std::string_view what) {
  if (text == "t" || text == "true") {
    out = true;
  } else if (text == "f" || text == "false") {
    out = false;
  } else {
    Bad(text, what, "bool");
  }
}

void FromText(std::string_view text, SystemTime& out, std::string_view what) {
  if (!ParseTimestamp(text, out)) Bad(text, what, "timestamptz");
}

void FromText(std::string_view text, nlohmann::json& out, std::string_view what) {
  try {
    out = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error&) {
    Bad(text, what, "json");
  }
}

}  // namespace detail

std::size_t Row::ColumnIndex(std::string_view name) const {
  const auto& cols = data_->columns;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == name) return i;
  }
  throw ResultError("no column named " + std::string(name) + " in the result");
}

void Row::CheckColumn(std::size_t column) const {
  if (column >= data_->columns.size()) {
    throw ResultError("column index " + std::to_string(column) + " out of range (" +
                      std::to_string(data_->columns.size()) + " columns)");
  }
}

void Row::ThrowNull(std::size_t column) const {
  throw ResultError("column " + data_->columns[column] + " is NULL; read it as std::optional<T>");
}

Row Rows::operator[](std::size_t i) const {
  if (i >= data_->rows) {
    throw ResultError("row " + std::to_string(i) + " out of range (" + std::to_string(data_->rows) +
                      " rows)");
  }
  return Row(data_, i);
}

}  // namespace made0::pg
