#include "made0/http/message.hpp"

#include <algorithm>

namespace made0::http {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string_view> Lookup(const StringMap& map, std::string_view name) {
  auto it = map.find(name);
  if (it == map.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Cookie(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (!EqualsIgnoreCase(n, "cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  return Lookup(query, name);
}

std::optional<std::string_view> Request::PathParam(std::string_view name) const {
  return Lookup(path_params, name);
}

Response Response::Json(int status, const nlohmann::json& body) {
  return Response{status, "application/json", {}, Dump(body)};
}

Response Response::Text(int status, std::string body, std::string content_type) {
  return Response{status, std::move(content_type), {}, std::move(body)};
}

Response Response::Error(const made0::Error& error) {
  return Json(StatusFor(error.code), ErrorJson(error));
}

Response& Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::SetHeader(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
  return *this;
}

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kGone:
      return 410;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kInvalid:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
  }
  return 500;
}

nlohmann::json ErrorJson(const made0::Error& error) {
  nlohmann::json e = {{"code", ToString(error.code)}, {"message", error.message}};
  if (!error.field.empty()) e["field"] = error.field;
  return {{"error", std::move(e)}};
}

Result<nlohmann::json> ParseJsonBody(const Request& req) {
  auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return made0::Error::Malformed("request body is not valid JSON");
  if (!body.is_object()) return made0::Error::Malformed("request body must be a JSON object");
  return body;
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                  std::string_view field, std::size_t max_len) {
  std::string name(field);
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return made0::Error::Invalid(name, name + " must be a string");
  const auto& value = it->get_ref<const std::string&>();
  if (value.size() > max_len) {
    return made0::Error::Invalid(name,
                                 name + " must be at most " + std::to_string(max_len) + " bytes");
  }
  return std::optional<std::string>(value);
}

Result<std::string> RequireString(const nlohmann::json& object, std::string_view field,
                                  std::size_t max_len) {
  auto value = OptionalString(object, field, max_len);
  if (!value) return std::move(value).error();
  if (!value->has_value() || (*value)->empty()) {
    return made0::Error::Invalid(std::string(field), std::string(field) + " is required");
  }
  return std::move(**value);
}

}  // namespace made0::http
