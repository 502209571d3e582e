#include "made0/core/config.hpp"

#include <gtest/gtest.h>

namespace made0 {
namespace {

using std::chrono::milliseconds;

TEST(Config, DefaultsWhenUnsetOrEmpty) {
  MapEnv env({{"MADE0_B", ""}});
  ConfigReader r(env);
  EXPECT_EQ(r.String("MADE0_A", "x", "doc"), "x");
  EXPECT_EQ(r.Int("MADE0_B", 7, 0, 10, "doc"), 7);
  EXPECT_TRUE(r.Finish());
  ASSERT_EQ(r.Vars().size(), 2u);
  EXPECT_EQ(r.Vars()[1].default_value, "7");
}

TEST(Config, ParsesValues) {
  MapEnv env({{"MADE0_PORT", "3000"}, {"MADE0_TTL", "1h"}, {"MADE0_ON", "yes"}});
  ConfigReader r(env);
  EXPECT_EQ(r.Int("MADE0_PORT", 0, 0, 65535, ""), 3000);
  EXPECT_EQ(r.Duration("MADE0_TTL", milliseconds(5), ""), std::chrono::hours(1));
  EXPECT_TRUE(r.Bool("MADE0_ON", false, ""));
  EXPECT_TRUE(r.Finish());
}

TEST(Config, FirstBadVariableIsNamed) {
  const std::pair<const char*, const char*> bad[] = {
      {"MADE0_PORT", "70000"}, {"MADE0_PORT", "12a"}, {"MADE0_PORT", "-1"}};
  for (const auto& [name, value] : bad) {
    MapEnv env({{name, value}});
    ConfigReader r(env);
    (void)r.Int("MADE0_PORT", 0, 0, 65535, "");
    auto st = r.Finish();
    ASSERT_FALSE(st) << value;
    EXPECT_EQ(st.error().field, "MADE0_PORT");
    EXPECT_NE(st.error().message.find(value), std::string::npos);
  }
}

TEST(Config, Durations) {
  EXPECT_EQ(ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("10s"), milliseconds(10'000));
  EXPECT_EQ(ParseDuration("2m"), milliseconds(120'000));
  EXPECT_FALSE(ParseDuration("10"));
  EXPECT_FALSE(ParseDuration("s"));
  EXPECT_FALSE(ParseDuration("1d"));
  EXPECT_FALSE(ParseDuration("-1s"));
}

}  // namespace
}  // namespace made0
