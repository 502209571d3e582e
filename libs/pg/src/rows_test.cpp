#include "made0/pg/rows.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "made0/pg/errors.hpp"

namespace made0::pg {
namespace {

using namespace std::chrono_literals;

Rows MakeRows(std::vector<std::string> columns, std::vector<std::optional<std::string>> cells) {
  auto data = std::make_shared<detail::ResultData>();
  data->rows = columns.empty() ? 0 : cells.size() / columns.size();
  data->columns = std::move(columns);
  data->cells = std::move(cells);
  return Rows(std::move(data));
}

TEST(Rows, ParsesServerTextIntoEachType) {
  Rows rows = MakeRows({"s", "i", "d", "b", "t", "j", "n"},
                       {"hello", "-42", "0.1", "t", "2027-01-15 08:00:00.123456+00",
                        R"({"a":[1,2]})", std::nullopt});
  ASSERT_EQ(rows.size(), 1u);
  Row r = rows[0];
  EXPECT_EQ(r.Get<std::string>("s"), "hello");
  EXPECT_EQ(r.Get<std::int64_t>("i"), -42);
  EXPECT_EQ(r.Get<int>(1), -42);
  EXPECT_DOUBLE_EQ(r.Get<double>("d"), 0.1);
  EXPECT_TRUE(r.Get<bool>("b"));
  EXPECT_EQ(r.Get<SystemTime>("t"), SystemTime{1'800'000'000s} + 123'456us);
  EXPECT_EQ(r.Get<nlohmann::json>("j"), (nlohmann::json{{"a", {1, 2}}}));
  EXPECT_TRUE(r.IsNull("n"));
  EXPECT_FALSE(r.IsNull("s"));
  EXPECT_EQ(r.Get<std::optional<std::string>>("n"), std::nullopt);
  EXPECT_EQ(r.Get<std::optional<std::int64_t>>("i"), -42);
}

TEST(Rows, ParsesTimestampsWithOffsetsAndSpecialValues) {
  struct Case {
    std::string text;
    SystemTime want;
  };
  const SystemTime base{1'800'000'000s};  // 2027-01-15 08:00:00 UTC
  const std::vector<Case> cases = {
      {"2027-01-15 08:00:00+00", base},       {"2027-01-15 08:00:00.5+00", base + 500ms},
      {"2027-01-15T08:00:00Z", base},         {"2027-01-15 13:30:00+05:30", base},
      {"2027-01-15 04:59:45-03:00:15", base}, {"2027-01-15 08:00:00.1234567+00", base + 123'456us},
      {"infinity", SystemTime::max()},        {"-infinity", SystemTime::min()},
  };
  for (const auto& c : cases) {
    Rows rows = MakeRows({"t"}, {c.text});
    EXPECT_EQ(rows[0].Get<SystemTime>(0), c.want) << c.text;
  }
}

TEST(Rows, ThrowsResultErrorOnMisreads) {
  Rows rows = MakeRows({"n", "s", "big"}, {std::nullopt, "abc", "9999999999"});
  Row r = rows[0];
  EXPECT_THROW(r.Get<std::string>("n"), ResultError);  // NULL into non-optional
  EXPECT_THROW(r.Get<std::int64_t>("s"), ResultError);
  EXPECT_THROW(r.Get<int>("big"), ResultError);  // out of int range
  EXPECT_EQ(r.Get<std::int64_t>("big"), 9'999'999'999);
  EXPECT_THROW(r.Get<bool>("s"), ResultError);
  EXPECT_THROW(r.Get<double>("s"), ResultError);
  EXPECT_THROW(r.Get<SystemTime>("s"), ResultError);
  EXPECT_THROW(r.Get<nlohmann::json>("s"), ResultError);
  EXPECT_THROW(r.Get<std::string>("missing"), ResultError);
  EXPECT_THROW(r.Get<std::string>(3), ResultError);
  EXPECT_THROW(rows[1], ResultError);

  for (std::string bad : {"2027-01-15 08:00:00", "2027-13-01 00:00:00+00",
                          "2027-01-15 08:00:00+00 BC", "2027-01-15 08:00:00.+00", "yesterday"}) {
    EXPECT_THROW(MakeRows({"t"}, {bad})[0].Get<SystemTime>(0), ResultError) << bad;
  }
}

TEST(Rows, ReadsSpecialDoubles) {
  Rows rows = MakeRows({"a", "b", "c"}, {"NaN", "Infinity", "-Infinity"});
  EXPECT_TRUE(std::isnan(rows[0].Get<double>("a")));
  EXPECT_EQ(rows[0].Get<double>("b"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(rows[0].Get<double>("c"), -std::numeric_limits<double>::infinity());
}

TEST(Rows, IteratesRowsInOrder) {
  Rows rows = MakeRows({"v"}, {"1", "2", "3"});
  std::vector<int> seen;
  for (const Row& row : rows) seen.push_back(row.Get<int>(0));
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  // A Row keeps the result alive after the Rows it came from is gone.
  Row last = MakeRows({"v"}, {"9"})[0];
  EXPECT_EQ(last.Get<int>("v"), 9);
}

}  // namespace
}  // namespace made0::pg
