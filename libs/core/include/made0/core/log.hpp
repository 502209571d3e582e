#pragma once
// JSON log lines on stderr, one object per line, carrying the service, the instance and the
// current trace (made0/core/trace_context.hpp):
//
//   {"ts":"2026-12-03T18:16:09.123Z","level":"info","service":"users","instance":"users-3f2a...",
//    "trace_id":"4bf9...","span_id":"00f0...","msg":"user registered","user_id":"..."}
//
//   log::Info("user registered", {{"user_id", id}});
//
// Never pass secrets (passwords, tokens, private keys) as fields.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace made0::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// SetIdentity names the process in every later line; called once by the service runtime.
void SetIdentity(std::string service, std::string instance);
void SetMinLevel(Level level);
std::optional<Level> ParseLevel(std::string_view text);

void Write(Level level, std::string_view msg,
           const nlohmann::json& fields = nlohmann::json::object());
inline void Debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kWarn, m, f);
}
inline void Error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  Write(Level::kError, m, f);
}

}  // namespace made0::log
