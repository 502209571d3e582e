#include "made0/ctl/format.hpp"

#include <algorithm>
#include <charconv>

namespace made0::ctl {
namespace {

std::string Pad(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = DisplayWidth(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string TrimRight(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Digits reads exactly n decimal digits at text[pos].
std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + n, v);
  if (ec != std::errc() || end != text.data() + pos + n) return std::nullopt;
  return v;
}

std::string Indent(int levels) { return std::string(static_cast<std::size_t>(levels) * 2, ' '); }

}  // namespace

std::size_t DisplayWidth(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string RenderTable(const Table& table, bool wide) {
  if (table.rows.empty()) return std::string(kNoResources);
  std::vector<std::size_t> shown;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (wide || !table.columns[c].wide) shown.push_back(c);
  }
  const auto cell = [&](const std::vector<std::string>& row, std::size_t c) -> std::string_view {
    if (c >= row.size() || row[c].empty()) return kNone;
    return row[c];
  };
  std::vector<std::size_t> widths;
  for (std::size_t c : shown) {
    std::size_t w = DisplayWidth(table.columns[c].header);
    for (const auto& row : table.rows) w = std::max(w, DisplayWidth(cell(row, c)));
    widths.push_back(w);
  }
  const auto line = [&](auto&& text_of) {
    std::string out;
    for (std::size_t i = 0; i < shown.size(); ++i) {
      if (i > 0) out += "   ";
      out += Pad(text_of(shown[i]), widths[i]);
    }
    return TrimRight(std::move(out)) + "\n";
  };
  std::string out = line([&](std::size_t c) { return std::string_view(table.columns[c].header); });
  for (const auto& row : table.rows) out += line([&](std::size_t c) { return cell(row, c); });
  return out;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const long long ms = std::max<long long>(0, d.count());
  if (ms == 0) return "0s";
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 10'000) {
    const long long tenths = ms / 100;
    std::string out = std::to_string(tenths / 10);
    if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
    return out + "s";
  }
  const long long s = ms / 1000;
  const auto two = [](long long big, const char* big_unit, long long small,
                      const char* small_unit) {
    std::string out = std::to_string(big) + big_unit;
    if (small != 0) out += std::to_string(small) + small_unit;
    return out;
  };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return two(s / 60, "m", s % 60, "s");
  if (s < 86'400) return two(s / 3600, "h", s % 3600 / 60, "m");
  return two(s / 86'400, "d", s % 86'400 / 3600, "h");
}

std::string FormatAge(SystemTime created, SystemTime now) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(now - created);
  if (secs.count() <= 0) return "0s";
  return FormatDuration(secs);
}

std::string FormatOffset(std::chrono::milliseconds offset) { return "+" + FormatDuration(offset); }

std::optional<SystemTime> ParseRfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  const auto year = Digits(t, 0, 4), month = Digits(t, 5, 2), day = Digits(t, 8, 2);
  const auto hour = Digits(t, 11, 2), minute = Digits(t, 14, 2), second = Digits(t, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*year),
                                        std::chrono::month(static_cast<unsigned>(*month)),
                                        std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok()) return std::nullopt;
  std::size_t pos = 19;
  std::chrono::microseconds fraction{0};
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    long long micros = 0;
    int digits = 0;
    for (; pos < t.size() && t[pos] >= '0' && t[pos] <= '9'; ++pos, ++digits) {
      if (digits < 6) micros = micros * 10 + (t[pos] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
    fraction = std::chrono::microseconds(micros);
  }
  std::chrono::minutes zone{0};
  const std::string_view rest = t.substr(pos);
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const auto zh = Digits(rest, 1, 2), zm = Digits(rest, 4, 2);
    if (!zh || !zm || *zh > 23 || *zm > 59) return std::nullopt;
    zone = std::chrono::minutes((*zh * 60 + *zm) * (rest[0] == '-' ? -1 : 1));
  } else {
    return std::nullopt;
  }
  const auto local = std::chrono::sys_days(ymd) + std::chrono::hours(*hour) +
                     std::chrono::minutes(*minute) + std::chrono::seconds(*second) + fraction;
  return std::chrono::time_point_cast<SystemTime::duration>(local - zone);
}

void Describer::Field(std::string label, std::string value, int indent) {
  lines_.push_back({Line::Kind::kField, indent, std::move(label), std::move(value)});
}

void Describer::Section(std::string label, int indent) {
  lines_.push_back({Line::Kind::kSection, indent, std::move(label), {}});
}

void Describer::Text(std::string_view text, int indent) {
  lines_.push_back({Line::Kind::kText, indent, {}, std::string(text)});
}

std::string Describer::Render() const {
  std::string out;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const Line& line = lines_[i];
    if (line.kind == Line::Kind::kSection) {
      out += Indent(line.indent) + line.label + ":\n";
    } else if (line.kind == Line::Kind::kText) {
      std::string_view rest = line.value;
      while (!rest.empty()) {
        const auto nl = rest.find('\n');
        const std::string_view one = rest.substr(0, nl);
        out += one.empty() ? "\n" : Indent(line.indent) + std::string(one) + "\n";
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      }
    } else {
      // The run of fields this one belongs to shares one value column.
      std::size_t width = 0;
      std::size_t end = i;
      for (; end < lines_.size() && lines_[end].kind == Line::Kind::kField &&
             lines_[end].indent == line.indent;
           ++end) {
        width = std::max(width, DisplayWidth(lines_[end].label));
      }
      for (; i < end; ++i) {
        const Line& f = lines_[i];
        const std::string value = f.value.empty() ? std::string(kNone) : f.value;
        out += Indent(f.indent) + Pad(f.label + ":", width + 3) + value + "\n";
      }
      --i;
    }
  }
  return out;
}

}  // namespace made0::ctl
