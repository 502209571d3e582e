#include "made0/pg/param.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace made0::pg {
namespace {

using namespace std::chrono_literals;

std::optional<std::string> Text(const Param& p) { return p.ToText(); }

TEST(Param, ConvertsEachKindToServerText) {
  struct Case {
    Param param;
    std::optional<std::string> text;
  };
  const SystemTime t = SystemTime{1'800'000'000s} + 123'456us;
  const std::vector<Case> cases = {
      {nullptr, std::nullopt},
      {static_cast<const char*>(nullptr), std::nullopt},
      {"abc", "abc"},
      {std::string("it's; DROP TABLE x"), "it's; DROP TABLE x"},
      {std::string_view("view"), "view"},
      {std::string(), ""},
      {42, "42"},
      {-7L, "-7"},
      {std::int64_t{INT64_MIN}, "-9223372036854775808"},
      {std::uint32_t{4'000'000'000u}, "4000000000"},
      {true, "true"},
      {false, "false"},
      {0.1, "0.1"},
      {-2.5e300, "-2.5e+300"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
      {t, "2027-01-15T08:00:00.123456Z"},
      {nlohmann::json{{"a", 1}}, R"({"a":1})"},
      {nlohmann::json(), "null"},
      {std::optional<int>(), std::nullopt},
      {std::optional<int>(5), "5"},
      {std::optional<std::string>("x"), "x"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(Text(cases[i].param), cases[i].text) << "case " << i;
  }
}

TEST(Param, ArraysQuoteAndEscapeEveryElement) {
  EXPECT_EQ(Text(Param::Array({})), "{}");
  EXPECT_EQ(Text(Param::Array({1, 2})), R"({"1","2"})");
  EXPECT_EQ(Text(Param::Array({"a b", nullptr, "NULL", "", R"(q"b\)"})),
            R"({"a b",NULL,"NULL","","q\"b\\"})");
  EXPECT_EQ(Text(Param::Array({nlohmann::json{{"k", "{,}"}}, true})),
            R"({"{\"k\":\"{,}\"}","true"})");
}

TEST(Param, KeepsTheVariantKind) {
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(Param(3).value()));
  EXPECT_TRUE(std::holds_alternative<bool>(Param(true).value()));
  EXPECT_TRUE(std::holds_alternative<double>(Param(1.5).value()));
  EXPECT_TRUE(std::holds_alternative<std::string>(Param("s").value()));
  EXPECT_TRUE(Param(nullptr).IsNull());
}

TEST(Param, RejectsUnsignedBeyondBigint) {
  EXPECT_THROW(Param(std::uint64_t{UINT64_MAX}), std::out_of_range);
  EXPECT_EQ(Text(Param(std::uint64_t{INT64_MAX})), "9223372036854775807");
}

TEST(Param, FormatsTimestampsBeforeTheEpochAndTruncatesToMicroseconds) {
  EXPECT_EQ(Param::FormatTimestamp(SystemTime{}), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(Param::FormatTimestamp(SystemTime{} - 1us), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(Param::FormatTimestamp(SystemTime{} + 1500ns), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(Param::FormatTimestamp(SystemTime{951'782'400s}), "2000-02-29T00:00:00.000000Z");
}

}  // namespace
}  // namespace made0::pg
