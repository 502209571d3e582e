#include "json_fields.hpp"

#include <algorithm>
#include <cmath>

#include "made0/ctl/format.hpp"

namespace made0::ctl::internal {
namespace {

const nlohmann::json* Field(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

std::string ValueText(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
      return std::to_string(static_cast<long long>(d));
    }
  }
  if (v.is_array() && std::all_of(v.begin(), v.end(),
                                  [](const auto& e) { return e.is_primitive() && !e.is_null(); })) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ",") + ValueText(e);
    return out;
  }
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Text(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* f = Field(obj, key);
  return f ? ValueText(*f) : "";
}

const nlohmann::json& Get(const nlohmann::json& obj, std::string_view key) {
  static const nlohmann::json kNull;
  const nlohmann::json* f = Field(obj, key);
  return f ? *f : kNull;
}

bool Bool(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json& v = Get(obj, key);
  return v.is_boolean() && v.get<bool>();
}

std::optional<long long> Int(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* f = Field(obj, key);
  if (!f || !f->is_number()) return std::nullopt;
  if (f->is_number_integer()) return f->get<long long>();
  const double d = f->get<double>();
  if (!std::isfinite(d) || d != std::floor(d)) return std::nullopt;
  return static_cast<long long>(d);
}

std::optional<double> Number(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* f = Field(obj, key);
  if (!f || !f->is_number()) return std::nullopt;
  return f->get<double>();
}

std::optional<SystemTime> Time(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json* f = Field(obj, key);
  if (!f || !f->is_string()) return std::nullopt;
  return ParseRfc3339(f->get<std::string>());
}

std::string Age(const nlohmann::json& obj, std::string_view key, SystemTime now) {
  const auto t = Time(obj, key);
  return t ? FormatAge(*t, now) : "";
}

std::string Stamp(const nlohmann::json& obj, std::string_view key, SystemTime now) {
  const std::string raw = Text(obj, key);
  const auto t = Time(obj, key);
  if (!t) return raw;
  return raw + " (" + FormatAge(*t, now) + " ago)";
}

const nlohmann::json* List(const nlohmann::json& answer, std::string_view key) {
  if (!answer.is_object()) return nullptr;
  const auto it = answer.find(key);
  return it != answer.end() && it->is_array() ? &*it : nullptr;
}

}  // namespace made0::ctl::internal
