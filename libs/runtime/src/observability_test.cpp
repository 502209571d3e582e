#include "made0/runtime/observability.hpp"

#include <gtest/gtest.h>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/http/client.hpp"
#include "made0/runtime/service_client.hpp"

namespace made0::runtime {
namespace {

class RecordingSink final : public tracing::SpanSink {
 public:
  void Record(tracing::Span span) override { spans.push_back(std::move(span)); }
  std::vector<tracing::Span> spans;
};

class ObservabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.Use(ObservabilityMiddleware({"users", "users-abc"}, sink, metrics, rng, clock));
    router.Add("GET", "/healthz", [](http::Request&) { return http::Response::Text(200, "ok"); });
    router.Add("POST", "/v1/users/{id}", [this](http::Request&) {
      seen_trace = CurrentTraceContext() ? CurrentTraceContext()->trace_id : "";
      clock.Advance(std::chrono::milliseconds(7));
      return http::Response::Json(status, {{"ok", true}});
    });
  }
  http::Response Call(std::string method, std::string target, http::Headers headers = {}) {
    http::Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers = std::move(headers);
    return router.Handle(req);
  }

  SecureRandom rng;
  testing::FakeClock clock;
  RecordingSink sink;
  Metrics metrics{"users"};
  http::Router router;
  int status = 200;
  std::string seen_trace;
};

TEST_F(ObservabilityTest, ContinuesTheCallersTrace) {
  const std::string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto resp = Call("POST", "/v1/users/42", {{"traceparent", parent}});
  EXPECT_EQ(resp.status, 200);
  ASSERT_EQ(sink.spans.size(), 1u);
  const auto& span = sink.spans[0];
  EXPECT_EQ(span.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span.parent_span_id, "00f067aa0ba902b7");
  EXPECT_EQ(span.name, "POST /v1/users/{id}");
  EXPECT_EQ(span.service, "users");
  EXPECT_EQ(span.instance, "users-abc");
  EXPECT_EQ(span.kind, "server");
  EXPECT_EQ(span.duration, std::chrono::milliseconds(7));
  EXPECT_FALSE(span.error);
  EXPECT_EQ(seen_trace, span.trace_id);  // current inside the handler
  EXPECT_EQ(resp.Header("X-Trace-Id"), span.trace_id);
  EXPECT_EQ(CurrentTraceContext(), nullptr);  // and not after
}

TEST_F(ObservabilityTest, AnUnsampledCallersTraceIsFollowedButNotRecorded) {
  const std::string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
  auto resp = Call("POST", "/v1/users/42", {{"traceparent", parent}});
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(seen_trace, "4bf92f3577b34da6a3ce929d0e0e4736");  // logs still carry it
  EXPECT_TRUE(sink.spans.empty());
}

TEST_F(ObservabilityTest, StartsATraceWithoutOrWithABadHeader) {
  (void)Call("POST", "/v1/users/1");
  (void)Call("POST", "/v1/users/2", {{"traceparent", "garbage"}});
  ASSERT_EQ(sink.spans.size(), 2u);
  EXPECT_TRUE(sink.spans[0].parent_span_id.empty());
  EXPECT_TRUE(sink.spans[1].parent_span_id.empty());
  EXPECT_NE(sink.spans[0].trace_id, sink.spans[1].trace_id);
}

TEST(ObservabilityFilter, RoutesTheFilterRefusesAreCountedButNotTraced) {
  SecureRandom rng;
  testing::FakeClock clock;
  RecordingSink sink;
  Metrics metrics{"frontend"};
  RouteFilter traced = [](std::string_view route) { return route != "/*"; };
  http::Router router;
  router.Use(ObservabilityMiddleware({"frontend", "f-1"}, sink, metrics, rng, clock, &traced));
  router.Add("GET", "/*", [](http::Request&) { return http::Response::Text(200, "file"); });
  router.Add("GET", "/api/me", [](http::Request&) { return http::Response::Text(200, "me"); });
  for (const char* target : {"/index.html", "/api/me"}) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    EXPECT_EQ(router.Handle(req).status, 200);
  }
  ASSERT_EQ(sink.spans.size(), 1u);
  EXPECT_EQ(sink.spans[0].name, "GET /api/me");
  EXPECT_NE(metrics.Serialize().find("route=\"/*\""), std::string::npos);
}

TEST_F(ObservabilityTest, ServerErrorsMarkTheSpanAndProbesAreNotTraced) {
  status = 503;
  (void)Call("POST", "/v1/users/1");
  (void)Call("GET", "/healthz");
  ASSERT_EQ(sink.spans.size(), 1u);
  EXPECT_TRUE(sink.spans[0].error);
  const std::string text = metrics.Serialize();
  EXPECT_NE(text.find("made0_http_requests_total{service=\"users\",method=\"POST\","
                      "route=\"/v1/users/{id}\",status=\"503\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"/healthz\""), std::string::npos);
  EXPECT_NE(text.find("made0_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST(ServiceClientPolicy, WhenToTryAnotherInstance) {
  struct Case {
    Error error;
    bool repeatable;
    bool retry;
  };
  const Error connect = Error::Unavailable(std::string(http::kConnectFailedPrefix) + "refused");
  const Error timeout = Error::Unavailable(std::string(http::kTimedOutPrefix) + "5000 ms");
  const Error reset = Error::Unavailable("Recv failure: Connection reset by peer");
  const Case cases[] = {
      {connect, false, true},
      {connect, true, true},
      {reset, false, false},
      {reset, true, true},
      {timeout, true, false},
      {timeout, false, false},
      {Error::Invalid("url", "bad"), true, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ShouldTryAnotherInstance(c.error, c.repeatable), c.retry)
        << c.error.message << " repeatable=" << c.repeatable;
  }
}

}  // namespace
}  // namespace made0::runtime
