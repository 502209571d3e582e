#include "made0/core/trace_context.hpp"

#include <algorithm>

namespace made0 {
namespace {

thread_local const TraceContext* current = nullptr;

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool AllZero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

}  // namespace

std::optional<TraceContext> ParseTraceparent(std::string_view h) {
  // version "-" trace-id "-" parent-id "-" flags: 2+1+32+1+16+1+2 = 55 characters.
  if (h.size() < 55) return std::nullopt;
  const std::string_view version = h.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" && h.size() != 55) return std::nullopt;
  if (h.size() > 55 && h[55] != '-') return std::nullopt;  // a future version may append fields
  if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  const std::string_view trace_id = h.substr(3, 32);
  const std::string_view span_id = h.substr(36, 16);
  const std::string_view flags = h.substr(53, 2);
  if (!IsLowerHex(trace_id) || !IsLowerHex(span_id) || !IsLowerHex(flags)) return std::nullopt;
  if (AllZero(trace_id) || AllZero(span_id)) return std::nullopt;
  const int f = std::stoi(std::string(flags), nullptr, 16);
  return TraceContext{std::string(trace_id), std::string(span_id), {}, (f & 1) != 0};
}

std::string FormatTraceparent(const TraceContext& ctx) {
  return "00-" + ctx.trace_id + "-" + ctx.span_id + (ctx.sampled ? "-01" : "-00");
}

TraceContext NewRoot(Random& rng) {
  TraceContext ctx;
  do ctx.trace_id = RandomHex(rng, 16);
  while (AllZero(ctx.trace_id));
  do ctx.span_id = RandomHex(rng, 8);
  while (AllZero(ctx.span_id));
  return ctx;
}

TraceContext ChildOf(const TraceContext& parent, Random& rng) {
  TraceContext ctx;
  ctx.trace_id = parent.trace_id;
  ctx.parent_span_id = parent.span_id;
  ctx.sampled = parent.sampled;
  do ctx.span_id = RandomHex(rng, 8);
  while (AllZero(ctx.span_id));
  return ctx;
}

const TraceContext* CurrentTraceContext() { return current; }

ScopedTraceContext::ScopedTraceContext(TraceContext ctx)
    : ctx_(std::move(ctx)), previous_(current) {
  current = &ctx_;
}

ScopedTraceContext::~ScopedTraceContext() { current = previous_; }

}  // namespace made0
