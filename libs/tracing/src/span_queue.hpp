#pragma once
// SpanQueue: the bounded buffer between Record (request threads) and the writer thread. Full
// means drop: a slow database must cost spans, never request latency. Not synchronised; the
// writer guards it.

#include <cstddef>
#include <deque>
#include <vector>

#include "made0/tracing/span.hpp"

namespace made0::tracing::detail {

class SpanQueue {
 public:
  explicit SpanQueue(std::size_t capacity) : capacity_(capacity) {}

  // Push appends span; false (span dropped) when the queue holds capacity spans already.
  bool Push(Span&& span);
  // Take removes and returns up to max spans, oldest first.
  std::vector<Span> Take(std::size_t max);
  // Clear drops everything and returns how many spans that was.
  std::size_t Clear();

  std::size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  std::deque<Span> spans_;
};

}  // namespace made0::tracing::detail
