#pragma once
// RecordingSpanSink: a SpanSink for tests that keeps every span it is given.
//
//   tracing::testing::RecordingSpanSink sink;
//   { tracing::SpanScope s(tracer, "work"); }
//   ASSERT_EQ(sink.Spans().size(), 1u);

#include <mutex>
#include <vector>

#include "made0/tracing/span.hpp"

namespace made0::tracing::testing {

class RecordingSpanSink final : public SpanSink {
 public:
  void Record(Span span) override {
    std::lock_guard lock(mu_);
    spans_.push_back(std::move(span));
  }
  std::vector<Span> Spans() const {
    std::lock_guard lock(mu_);
    return spans_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Span> spans_;
};

}  // namespace made0::tracing::testing
