#pragma once
// Tolerant readers of the API's JSON objects for display: a missing, null or oddly typed field
// shows as empty text (rendered "-") rather than failing, so a newer infra with extra or changed
// fields still gets a readable table.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"

namespace made0::ctl::internal {

// Text renders obj[key]: strings as is, integers without a fraction, booleans as "true"/"false",
// arrays of scalars joined by ",", other values as compact JSON; empty when missing or null.
std::string Text(const nlohmann::json& obj, std::string_view key);
// ValueText is Text for a value itself.
std::string ValueText(const nlohmann::json& value);

// Get is obj[key], or a null value when obj is not an object or has no such key.
const nlohmann::json& Get(const nlohmann::json& obj, std::string_view key);
// Bool is obj[key] when it is a boolean, else false.
bool Bool(const nlohmann::json& obj, std::string_view key);

// Int reads an integer field (also an integral double); nullopt otherwise.
std::optional<long long> Int(const nlohmann::json& obj, std::string_view key);
// Number reads any number.
std::optional<double> Number(const nlohmann::json& obj, std::string_view key);

// Time reads an RFC 3339 field.
std::optional<SystemTime> Time(const nlohmann::json& obj, std::string_view key);
// Age is FormatAge of a time field, empty when it cannot be read.
std::string Age(const nlohmann::json& obj, std::string_view key, SystemTime now);
// Stamp is "2026-12-03T18:16:09.123Z (5m ago)", or the raw text when it is not a time.
std::string Stamp(const nlohmann::json& obj, std::string_view key, SystemTime now);

// List returns answer[key] when it is an array, else nullptr.
const nlohmann::json* List(const nlohmann::json& answer, std::string_view key);

}  // namespace made0::ctl::internal
