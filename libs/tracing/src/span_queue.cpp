#include "span_queue.hpp"

#include <algorithm>
#include <iterator>

namespace made0::tracing::detail {

bool SpanQueue::Push(Span&& span) {
  if (spans_.size() >= capacity_) return false;
  spans_.push_back(std::move(span));
  return true;
}

std::vector<Span> SpanQueue::Take(std::size_t max) {
  const std::size_t n = std::min(max, spans_.size());
  std::vector<Span> out(std::make_move_iterator(spans_.begin()),
                        std::make_move_iterator(spans_.begin() + static_cast<long>(n)));
  spans_.erase(spans_.begin(), spans_.begin() + static_cast<long>(n));
  return out;
}

std::size_t SpanQueue::Clear() {
  const std::size_t n = spans_.size();
  spans_.clear();
  return n;
}

}  // namespace made0::tracing::detail
