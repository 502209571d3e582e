#include "made0/core/trace_context.hpp"

#include <gtest/gtest.h>

namespace made0 {
namespace {

constexpr const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ParsesTheSpecExample) {
  auto ctx = ParseTraceparent(kValid);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(ctx->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ctx->span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(ctx->sampled);
  EXPECT_EQ(FormatTraceparent(*ctx), kValid);
}

TEST(Traceparent, RejectsInvalid) {
  const char* bad[] = {
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",           // no flags
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // upper case
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // zero span id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // forbidden version
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // v00 is exact
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
  };
  for (const char* h : bad) EXPECT_FALSE(ParseTraceparent(h)) << h;
}

TEST(Traceparent, FutureVersionKeepsKnownFields) {
  auto ctx = ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-more");
  ASSERT_TRUE(ctx);
  EXPECT_FALSE(ctx->sampled);
}

TEST(Traceparent, ChildKeepsTraceAndLinksParent) {
  SecureRandom rng;
  auto root = NewRoot(rng);
  auto child = ChildOf(root, rng);
  EXPECT_EQ(child.trace_id, root.trace_id);
  EXPECT_EQ(child.parent_span_id, root.span_id);
  EXPECT_NE(child.span_id, root.span_id);
  EXPECT_TRUE(ParseTraceparent(FormatTraceparent(child)));
}

TEST(Traceparent, ScopedContextNests) {
  SecureRandom rng;
  EXPECT_EQ(CurrentTraceContext(), nullptr);
  {
    ScopedTraceContext a(NewRoot(rng));
    const std::string outer = CurrentTraceContext()->span_id;
    {
      ScopedTraceContext b(NewRoot(rng));
      EXPECT_NE(CurrentTraceContext()->span_id, outer);
    }
    EXPECT_EQ(CurrentTraceContext()->span_id, outer);
  }
  EXPECT_EQ(CurrentTraceContext(), nullptr);
}

}  // namespace
}  // namespace made0
