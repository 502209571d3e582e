#include "made0/core/config.hpp"

#include <charconv>
#include <cstdlib>
#include <sstream>

namespace made0 {

std::optional<std::string> ProcessEnv::Get(std::string_view name) const {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> MapEnv::Get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  long long n = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc{} || p == text.data() || n < 0) return std::nullopt;
  const std::string_view unit(p, static_cast<std::size_t>(end - p));
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  if (unit == "h") return std::chrono::hours(n);
  return std::nullopt;
}

std::optional<std::string> ConfigReader::Lookup(std::string_view name, std::string def_text,
                                                std::string_view doc) {
  vars_.push_back({std::string(name), std::move(def_text), std::string(doc)});
  auto v = env_.Get(name);
  if (v && v->empty()) return std::nullopt;  // an empty variable means "use the default"
  return v;
}

void ConfigReader::Fail(std::string_view name, std::string message) {
  if (!error_) error_ = Error::Invalid(std::string(name), std::move(message));
}

std::string ConfigReader::String(std::string_view name, std::string_view def,
                                 std::string_view doc) {
  auto v = Lookup(name, std::string(def), doc);
  return v ? *v : std::string(def);
}

int ConfigReader::Int(std::string_view name, int def, int min, int max, std::string_view doc) {
  auto v = Lookup(name, std::to_string(def), doc);
  if (!v) return def;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || p != v->data() + v->size() || n < min || n > max) {
    Fail(name, std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                   std::to_string(max) + "], got '" + *v + "'");
    return def;
  }
  return n;
}

bool ConfigReader::Bool(std::string_view name, bool def, std::string_view doc) {
  auto v = Lookup(name, def ? "true" : "false", doc);
  if (!v) return def;
  if (*v == "true" || *v == "1" || *v == "yes") return true;
  if (*v == "false" || *v == "0" || *v == "no") return false;
  Fail(name, std::string(name) + " must be true or false, got '" + *v + "'");
  return def;
}

std::chrono::milliseconds ConfigReader::Duration(std::string_view name,
                                                 std::chrono::milliseconds def,
                                                 std::string_view doc) {
  auto v = Lookup(name, std::to_string(def.count()) + "ms", doc);
  if (!v) return def;
  auto d = ParseDuration(*v);
  if (!d) {
    Fail(name,
         std::string(name) + " must be a duration like 500ms, 10s, 5m or 1h, got '" + *v + "'");
    return def;
  }
  return *d;
}

Status ConfigReader::Finish() const {
  if (error_) return *error_;
  return Status::Ok();
}

std::string FormatConfigHelp(const std::vector<ConfigVar>& vars) {
  std::size_t w = 0;
  for (const auto& v : vars) w = std::max(w, v.name.size());
  std::ostringstream out;
  for (const auto& v : vars) {
    out << v.name << std::string(w - v.name.size() + 2, ' ') << v.doc
        << " (default: " << (v.default_value.empty() ? "\"\"" : v.default_value) << ")\n";
  }
  return out.str();
}

}  // namespace made0
