#include "conninfo.hpp"

#include <gtest/gtest.h>

namespace made0::pg::detail {
namespace {

constexpr const char* kExtras =
    "connect_timeout=5&keepalives=1&keepalives_idle=30&keepalives_interval=10&keepalives_count=3";

TEST(ConnInfo, AddsTimeoutAndKeepalivesToUrls) {
  EXPECT_EQ(
      BuildConnectionString("postgresql://made0@127.0.0.1:5432/made0", std::chrono::seconds(5)),
      std::string("postgresql://made0@127.0.0.1:5432/made0?") + kExtras);
  EXPECT_EQ(BuildConnectionString("postgres://h/db?sslmode=disable", std::chrono::seconds(5)),
            std::string("postgres://h/db?sslmode=disable&") + kExtras);
}

TEST(ConnInfo, KeepsWhatTheCallerSet) {
  const std::string url = "postgresql://h/db?connect_timeout=2";
  const std::string out = BuildConnectionString(url, std::chrono::seconds(5));
  EXPECT_EQ(out.find("connect_timeout=5"), std::string::npos);
  EXPECT_TRUE(out.starts_with(url + "&keepalives=1"));
  // A parameter whose name merely ends in a key does not count as that key.
  EXPECT_NE(BuildConnectionString("postgresql://h/db?xconnect_timeout=9", std::chrono::seconds(3))
                .find("&connect_timeout=3"),
            std::string::npos);
}

TEST(ConnInfo, AppendsToKeyValueStrings) {
  EXPECT_EQ(BuildConnectionString("host=127.0.0.1 connect_timeout=3", std::chrono::seconds(5)),
            "host=127.0.0.1 connect_timeout=3 keepalives=1 keepalives_idle=30 "
            "keepalives_interval=10 keepalives_count=3");
}

}  // namespace
}  // namespace made0::pg::detail
