#include "made0/core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>

#include "made0/core/clock.hpp"
#include "made0/core/trace_context.hpp"

namespace made0::log {
namespace {

struct Identity {
  std::mutex mu;
  std::string service = "made0";
  std::string instance;
};

Identity& Id() {
  static Identity id;
  return id;
}

std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

spdlog::logger& Sink() {
  // spdlog's mutexed stderr sink keeps concurrent lines whole; the pattern is the bare message.
  static auto logger = [] {
    auto l = std::make_shared<spdlog::logger>("made0",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

constexpr std::string_view kNames[] = {"debug", "info", "warn", "error"};

}  // namespace

void SetIdentity(std::string service, std::string instance) {
  std::lock_guard lock(Id().mu);
  Id().service = std::move(service);
  Id().instance = std::move(instance);
}

void SetMinLevel(Level level) { min_level = static_cast<int>(level); }

std::optional<Level> ParseLevel(std::string_view text) {
  for (int i = 0; i < 4; ++i) {
    if (kNames[i] == text) return static_cast<Level>(i);
  }
  return std::nullopt;
}

void Write(Level level, std::string_view msg, const nlohmann::json& fields) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) return;
  // ordered_json keeps ts, level, service, ... msg first, as people read them.
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["ts"] = FormatRfc3339(std::chrono::system_clock::now());
  line["level"] = kNames[static_cast<int>(level)];
  {
    std::lock_guard lock(Id().mu);
    line["service"] = Id().service;
    if (!Id().instance.empty()) line["instance"] = Id().instance;
  }
  if (const TraceContext* t = CurrentTraceContext()) {
    line["trace_id"] = t->trace_id;
    line["span_id"] = t->span_id;
  }
  line["msg"] = msg;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (!line.contains(it.key())) line[it.key()] = it.value();
    }
  }
  Sink().info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace made0::log
