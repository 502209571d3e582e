#include "made0/tracing/trace_query.hpp"

#include <gtest/gtest.h>

namespace made0::tracing {
namespace {

TEST(TraceId, Validation) {
  struct Case {
    std::string id;
    bool valid;
  };
  const Case cases[] = {
      {"4bf92f3577b34da6a3ce929d0e0e4736", true},
      {"0000000000000000000000000000000a", true},
      {"00000000000000000000000000000000", false},   // all zero is invalid per W3C
      {"4BF92F3577B34DA6A3CE929D0E0E4736", false},   // uppercase
      {"4bf92f3577b34da6a3ce929d0e0e473", false},    // 31
      {"4bf92f3577b34da6a3ce929d0e0e47360", false},  // 33
      {"4bf92f3577b34da6a3ce929d0e0e473g", false},
      {"4bf92f35-7b34-da6a-3ce9-29d0e0e4736", false},
      {"", false},
      {"' OR 1=1 --                     ", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidTraceId(c.id), c.valid) << c.id;
}

TEST(TraceQuery, RejectsBadInputBeforeTouchingTheDatabase) {
  // Nothing listens on port 1: reaching the database would throw ConnectionError.
  pg::Database db("postgresql://made0@127.0.0.1:1/made0", 1);
  TraceQuery q(db);
  auto bad_id = q.GetTrace("not-a-trace-id");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(bad_id.error().field, "trace_id");
  for (int limit : {0, -1, 1001}) {
    auto r = q.RecentTraces(limit);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  }
  EXPECT_THROW(q.GetTrace("4bf92f3577b34da6a3ce929d0e0e4736"), pg::ConnectionError);
}

}  // namespace
}  // namespace made0::tracing
