#pragma once
// Text building blocks of made0ctl's output: aligned tables in kubectl's style, durations and ages
// ("3s", "2m5s", "1h"), RFC 3339 times, and kubectl-describe-like field lists.
//
//   Table t{{{"NAME"}, {"SUBNET ID"}, {"PROVIDER ID", /*wide=*/true}}, {}};
//   t.rows.push_back({"made0-us-east-1a", "subnet-0b5bd0eff5408f927", "-"});
//   out << RenderTable(t, /*wide=*/false);
//   // NAME               SUBNET ID
//   // made0-us-east-1a   subnet-0b5bd0eff5408f927
//
// All of it is pure: no I/O, no clock (the caller passes "now").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/clock.hpp"

namespace made0::ctl {

// kNone is what a table or a description shows for an absent value.
inline constexpr std::string_view kNone = "-";

// Column is one column of a Table; wide columns appear only with `-o wide`.
struct Column {
  std::string header;
  bool wide = false;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column
};

// kNoResources is what RenderTable gives for a table without rows.
inline constexpr std::string_view kNoResources = "No resources found.\n";

// RenderTable left-aligns each column to its widest cell (counted in UTF-8 characters), three
// spaces apart, with no trailing blanks; empty cells show kNone. Without rows it is kNoResources.
std::string RenderTable(const Table& table, bool wide);

// DisplayWidth counts UTF-8 code points (every character is taken as one column wide).
std::size_t DisplayWidth(std::string_view text);

// FormatDuration renders a duration for people: "0s", "450ms", "3s", "4.2s", "2m5s", "1h",
// "1h1m", "2d3h". Below 10 s it keeps tenths; above, it drops fractions; zero parts are left out.
std::string FormatDuration(std::chrono::milliseconds d);

// FormatAge is FormatDuration for the age of an object, in whole seconds ("0s" for the future).
std::string FormatAge(SystemTime created, SystemTime now);

// FormatOffset is a time offset from a start, as "+1.5s" (negative offsets show as "+0s").
std::string FormatOffset(std::chrono::milliseconds offset);

// ParseRfc3339 reads "2026-12-03T18:16:09.123Z" or "...+02:00" (fraction optional).
std::optional<SystemTime> ParseRfc3339(std::string_view text);

// Describer builds a kubectl-describe-like text: "Label:  value" lines, where each run of
// consecutive fields at one indent is aligned, sections ("Label:" alone) and preformatted text.
// Indents are levels of two spaces.
//
//   Describer d;
//   d.Field("Name", "made0");
//   d.Section("Subnets");
//   d.Text(RenderTable(t, false), 1);
//   std::string text = d.Render();
class Describer {
 public:
  // Field adds "Label:  value"; an empty value shows kNone.
  void Field(std::string label, std::string value, int indent = 0);
  // Section adds "Label:" on its own line.
  void Section(std::string label, int indent = 0);
  // Text adds preformatted lines, each indented (blank lines stay empty).
  void Text(std::string_view text, int indent = 0);
  std::string Render() const;

 private:
  struct Line {
    enum class Kind { kField, kSection, kText } kind;
    int indent = 0;
    std::string label;
    std::string value;
  };
  std::vector<Line> lines_;
};

}  // namespace made0::ctl
