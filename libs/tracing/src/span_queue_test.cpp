#include "span_queue.hpp"

#include <gtest/gtest.h>

namespace made0::tracing::detail {
namespace {

Span Named(const std::string& name) {
  Span s;
  s.name = name;
  return s;
}

TEST(SpanQueue, DropsNewSpansWhenFullAndKeepsTheOldOnes) {
  SpanQueue q(3);
  EXPECT_TRUE(q.Push(Named("a")));
  EXPECT_TRUE(q.Push(Named("b")));
  EXPECT_TRUE(q.Push(Named("c")));
  EXPECT_FALSE(q.Push(Named("d")));
  EXPECT_FALSE(q.Push(Named("e")));
  EXPECT_EQ(q.size(), 3u);
  auto batch = q.Take(2);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].name, "a");
  EXPECT_EQ(batch[1].name, "b");
  EXPECT_TRUE(q.Push(Named("f")));  // room again
  auto rest = q.Take(10);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].name, "c");
  EXPECT_EQ(rest[1].name, "f");
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.Take(5).empty());
}

TEST(SpanQueue, ClearCountsWhatItDrops) {
  SpanQueue q(10);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(q.Push(Named("x")));
  EXPECT_EQ(q.Clear(), 4u);
  EXPECT_TRUE(q.empty());
}

TEST(SpanQueue, ZeroCapacityDropsEverything) {
  SpanQueue q(0);
  EXPECT_FALSE(q.Push(Named("a")));
}

}  // namespace
}  // namespace made0::tracing::detail
