#include "made0/ctl/format.hpp"

#include <gtest/gtest.h>

namespace made0::ctl {
namespace {

using std::chrono::milliseconds;

TEST(RenderTable, AlignsColumnsThreeSpacesApartWithoutTrailingBlanks) {
  Table t{{{"NAME"}, {"SUBNET ID"}, {"CIDR"}},
          {{"made0-us-east-1a", "subnet-0b5bd0eff5408f927", "172.16.128.0/17"},
           {"b", "subnet-1", "10.0.0.0/8"}}};
  EXPECT_EQ(RenderTable(t, false),
            "NAME               SUBNET ID                  CIDR\n"
            "made0-us-east-1a   subnet-0b5bd0eff5408f927   172.16.128.0/17\n"
            "b                  subnet-1                   10.0.0.0/8\n");
}

TEST(RenderTable, WideColumnsOnlyWhenWide) {
  Table t{{{"ID"}, {"PROVIDER", true}, {"AGE"}}, {{"i-1", "local", "3s"}}};
  EXPECT_EQ(RenderTable(t, false), "ID    AGE\ni-1   3s\n");
  EXPECT_EQ(RenderTable(t, true), "ID    PROVIDER   AGE\ni-1   local      3s\n");
}

TEST(RenderTable, EmptyCellsShowADashAndMissingCellsToo) {
  Table t{{{"A"}, {"B"}, {"C"}}, {{"x", "", "z"}, {"y"}}};
  EXPECT_EQ(RenderTable(t, false), "A   B   C\nx   -   z\ny   -   -\n");
}

TEST(RenderTable, NoRowsIsNoResourcesFound) {
  Table t{{{"NAME"}}, {}};
  EXPECT_EQ(RenderTable(t, false), "No resources found.\n");
  EXPECT_EQ(RenderTable(t, true), "No resources found.\n");
}

TEST(RenderTable, CountsUtf8CharactersNotBytes) {
  Table t{{{"N"}, {"X"}}, {{"é", "1"}, {"ab", "2"}}};
  EXPECT_EQ(RenderTable(t, false), "N    X\né    1\nab   2\n");
  EXPECT_EQ(DisplayWidth("héllo"), 5u);
}

TEST(FormatDuration, Table) {
  const std::pair<long long, const char*> cases[] = {
      {-5, "0s"},
      {0, "0s"},
      {1, "1ms"},
      {450, "450ms"},
      {999, "999ms"},
      {1000, "1s"},
      {3000, "3s"},
      {4200, "4.2s"},
      {4250, "4.2s"},
      {9999, "9.9s"},
      {10'000, "10s"},
      {59'999, "59s"},
      {60'000, "1m"},
      {125'000, "2m5s"},
      {3'599'000, "59m59s"},
      {3'600'000, "1h"},
      {3'660'000, "1h1m"},
      {86'399'000, "23h59m"},
      {86'400'000, "1d"},
      {97'200'000, "1d3h"},
  };
  for (const auto& [ms, want] : cases) {
    EXPECT_EQ(FormatDuration(milliseconds(ms)), want) << ms << " ms";
  }
}

TEST(FormatAge, WholeSecondsAndNeverNegative) {
  const SystemTime t0{std::chrono::seconds(1'800'000'000)};
  EXPECT_EQ(FormatAge(t0, t0), "0s");
  EXPECT_EQ(FormatAge(t0, t0 + milliseconds(3700)), "3s");
  EXPECT_EQ(FormatAge(t0, t0 + std::chrono::seconds(125)), "2m5s");
  EXPECT_EQ(FormatAge(t0, t0 + std::chrono::hours(1)), "1h");
  EXPECT_EQ(FormatAge(t0 + std::chrono::seconds(5), t0), "0s");  // clocks disagree: not "-5s"
}

TEST(FormatOffset, PlusSign) {
  EXPECT_EQ(FormatOffset(milliseconds(0)), "+0s");
  EXPECT_EQ(FormatOffset(milliseconds(15)), "+15ms");
  EXPECT_EQ(FormatOffset(milliseconds(1500)), "+1.5s");
  EXPECT_EQ(FormatOffset(milliseconds(-20)), "+0s");
}

TEST(ParseRfc3339, Table) {
  const SystemTime base{std::chrono::seconds(1'796'321'769)};  // 2026-12-03T18:16:09Z
  const std::pair<const char*, std::optional<SystemTime>> cases[] = {
      {"2026-12-03T18:16:09Z", base},
      {"2026-12-03T18:16:09.123Z", base + milliseconds(123)},
      {"2026-12-03T18:16:09.123456789Z", base + std::chrono::microseconds(123456)},
      {"2026-12-03T18:16:09.1Z", base + milliseconds(100)},
      {"2026-12-03T20:16:09+02:00", base},
      {"2026-12-03T17:46:09-00:30", base},
      {"2026-12-03t18:16:09z", base},
      {"2026-12-03 18:16:09Z", std::nullopt},
      {"2026-13-03T18:16:09Z", std::nullopt},
      {"2026-02-30T18:16:09Z", std::nullopt},
      {"2026-12-03T24:16:09Z", std::nullopt},
      {"2026-12-03T18:16:09", std::nullopt},
      {"2026-12-03T18:16:09.Z", std::nullopt},
      {"2026-12-03T18:16:09+0200", std::nullopt},
      {"", std::nullopt},
      {"yesterday", std::nullopt},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(ParseRfc3339(text), want) << text;
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-12-03T18:16:09.123Z")), "2026-12-03T18:16:09.123Z");
}

TEST(Describer, AlignsEachRunOfFieldsAndIndentsSections) {
  Describer d;
  d.Field("Name", "made0");
  d.Field("Availability Zone", "");
  d.Section("Subnets");
  d.Text("NAME   ID\na      b\n", 1);
  d.Field("Key", "v", 1);
  d.Field("Longer key", "w", 1);
  d.Field("After", "x");
  EXPECT_EQ(d.Render(),
            "Name:               made0\n"
            "Availability Zone:  -\n"
            "Subnets:\n"
            "  NAME   ID\n"
            "  a      b\n"
            "  Key:         v\n"
            "  Longer key:  w\n"
            "After:  x\n");
}

}  // namespace
}  // namespace made0::ctl
