#include "made0/pg/param.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace made0::pg {

std::string Param::FormatTimestamp(SystemTime t) {
  using namespace std::chrono;
  const auto us = floor<microseconds>(t);
  const auto day = floor<days>(us);
  const year_month_day ymd{day};
  const long long tod = (us - day).count();  // microseconds into the day, >= 0
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), tod / 3'600'000'000LL, tod / 60'000'000LL % 60,
                tod / 1'000'000LL % 60, tod % 1'000'000LL);
  return buf;
}

void Param::ThrowOutOfRange() {
  throw std::out_of_range("pg::Param: integer does not fit in a bigint");
}

std::optional<std::string> Param::ToText() const {
  struct Visitor {
    std::optional<std::string> operator()(std::nullptr_t) const { return std::nullopt; }
    std::optional<std::string> operator()(const std::string& s) const { return s; }
    std::optional<std::string> operator()(std::int64_t v) const { return std::to_string(v); }
    std::optional<std::string> operator()(bool b) const {
      return std::string(b ? "true" : "false");
    }
    std::optional<std::string> operator()(double d) const {
      // PostgreSQL's spellings of the special values; otherwise the shortest text that reads
      // back as the same double.
      if (std::isnan(d)) return std::string("NaN");
      if (std::isinf(d)) return std::string(d > 0 ? "Infinity" : "-Infinity");
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, d);
      return std::string(buf, r.ptr);
    }
  };
  return std::visit(Visitor{}, value_);
}

Param Param::Array(const std::vector<Param>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    const std::optional<std::string> text = elements[i].ToText();
    if (!text) {
      out += "NULL";
      continue;
    }
    // Quoted, every element reads back as itself: no NULL keyword, no delimiters, no
    // whitespace trimming; inside the quotes only the quote and the backslash are special.
    out += '"';
    for (const char c : *text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return Param(std::move(out));
}

}  // namespace made0::pg
