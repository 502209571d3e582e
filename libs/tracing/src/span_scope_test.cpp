#include "made0/tracing/span_scope.hpp"

#include <gtest/gtest.h>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/tracing/testing/recording_sink.hpp"

namespace made0::tracing {
namespace {

using namespace std::chrono_literals;

// CountingRandom yields 1, 2, 3, ... so IDs are predictable and distinct.
class CountingRandom final : public Random {
 public:
  void Fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(++n_);
  }

 private:
  std::uint8_t n_ = 0;
};

class SpanScopeTest : public ::testing::Test {
 protected:
  made0::testing::FakeClock clock_;
  CountingRandom rng_;
  testing::RecordingSpanSink sink_;
  Tracer tracer_{sink_, clock_, rng_, "users", "users-1"};
};

TEST_F(SpanScopeTest, NestedScopesFormATreeAndRestoreTheContext) {
  ASSERT_EQ(CurrentTraceContext(), nullptr);
  const SystemTime t0 = clock_.Now();
  {
    SpanScope outer(tracer_, "POST /api/users", "server");
    ASSERT_NE(CurrentTraceContext(), nullptr);
    EXPECT_EQ(CurrentTraceContext()->span_id, outer.context().span_id);
    clock_.Advance(5ms);
    {
      SpanScope inner(tracer_, "hash password");
      inner.SetAttribute("algorithm", "argon2id");
      EXPECT_EQ(CurrentTraceContext()->span_id, inner.context().span_id);
      clock_.Advance(20ms);
    }
    EXPECT_EQ(CurrentTraceContext()->span_id, outer.context().span_id);
    clock_.Advance(1ms);
  }
  EXPECT_EQ(CurrentTraceContext(), nullptr);

  const auto spans = sink_.Spans();
  ASSERT_EQ(spans.size(), 2u);
  const Span& inner = spans[0];  // recorded first: it ends first
  const Span& outer = spans[1];
  EXPECT_EQ(outer.name, "POST /api/users");
  EXPECT_EQ(outer.kind, "server");
  EXPECT_EQ(outer.parent_span_id, "");
  EXPECT_EQ(outer.service, "users");
  EXPECT_EQ(outer.instance, "users-1");
  EXPECT_EQ(outer.start, t0);
  EXPECT_EQ(outer.duration, 26ms);
  EXPECT_EQ(outer.trace_id.size(), 32u);
  EXPECT_EQ(inner.trace_id, outer.trace_id);
  EXPECT_EQ(inner.parent_span_id, outer.span_id);
  EXPECT_NE(inner.span_id, outer.span_id);
  EXPECT_EQ(inner.kind, "internal");
  EXPECT_EQ(inner.start, t0 + 5ms);
  EXPECT_EQ(inner.duration, 20ms);
  EXPECT_EQ(inner.attributes["algorithm"], "argon2id");
  EXPECT_FALSE(inner.error);
}

TEST_F(SpanScopeTest, ChildOfAnIncomingParent) {
  TraceContext remote =
      *ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  { SpanScope s(tracer_, "GET /x", "server", &remote); }
  const auto spans = sink_.Spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, remote.trace_id);
  EXPECT_EQ(spans[0].parent_span_id, remote.span_id);
}

TEST_F(SpanScopeTest, ErrorsExplicitAndByException) {
  {
    SpanScope s(tracer_, "explicit");
    s.SetError("boom");
  }
  try {
    SpanScope s(tracer_, "thrown");
    throw std::runtime_error("x");
  } catch (const std::runtime_error&) {
  }
  const auto spans = sink_.Spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_TRUE(spans[0].error);
  EXPECT_EQ(spans[0].attributes["error.message"], "boom");
  EXPECT_TRUE(spans[1].error);
  EXPECT_EQ(CurrentTraceContext(), nullptr);
}

TEST_F(SpanScopeTest, UnsampledParentIsPropagatedButNotRecorded) {
  TraceContext remote =
      *ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  {
    SpanScope s(tracer_, "GET /x", "server", &remote);
    EXPECT_FALSE(s.context().sampled);
    EXPECT_EQ(s.context().trace_id, remote.trace_id);
  }
  EXPECT_TRUE(sink_.Spans().empty());
}

}  // namespace
}  // namespace made0::tracing
