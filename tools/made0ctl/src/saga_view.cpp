#include "made0/ctl/saga_view.hpp"

#include <cmath>

#include "json_fields.hpp"

namespace made0::ctl {
namespace {

using internal::Get;
using internal::Text;
using nlohmann::json;

std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

std::string Offset(const json& event, std::optional<SystemTime> start) {
  const auto at = internal::Time(event, "at");
  if (!at || !start) return "";
  return FormatOffset(std::chrono::duration_cast<std::chrono::milliseconds>(*at - *start));
}

std::string Attempt(const json& event) {
  const auto attempt = internal::Int(event, "attempt");
  return attempt && *attempt > 0 ? std::to_string(*attempt) : "";
}

std::string Detail(const json& event) {
  const json& d = Get(event, "detail");
  if (d.is_null() || (d.is_object() && d.empty())) return "";
  return internal::ValueText(d);
}

// StateAfter is what an event of kind makes its step, or "" when the kind says nothing about it.
std::string_view StateAfter(std::string_view kind) {
  static constexpr std::pair<std::string_view, std::string_view> kStates[] = {
      {"step_started", "running"},
      {"step_polled", "running"},
      {"step_succeeded", "succeeded"},
      {"step_failed", "failed"},
      {"retry_scheduled", "retrying"},
      {"compensation_started", "compensating"},
      {"compensation_polled", "compensating"},
      {"compensation_retry_scheduled", "compensating"},
      {"compensation_retry_requested", "compensating"},
      {"compensation_succeeded", "compensated"},
      {"compensation_failed", "compensation failed"},
  };
  for (const auto& [k, state] : kStates) {
    if (k == kind) return state;
  }
  return "";
}

std::string YesNo(const json& step, std::string_view key) {
  return internal::Bool(step, key) ? "yes" : "no";
}

void AddValues(Describer& d, const json& object) {
  if (!object.is_object() || object.empty()) {
    d.Text(kNone, 1);
    return;
  }
  for (const auto& [key, value] : object.items()) d.Field(key, internal::ValueText(value), 1);
}

std::optional<std::chrono::milliseconds> Elapsed(const json& saga) {
  const auto created = internal::Time(saga, "created_at");
  const auto updated = internal::Time(saga, "updated_at");
  if (!created || !updated) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*updated - *created);
}

}  // namespace

bool IsTerminalStatus(std::string_view status) {
  return status == "completed" || status == "compensated" || status == "compensation_failed";
}

int ExitCodeForStatus(std::string_view status) { return status == "completed" ? 0 : 1; }

std::string FormatDurationMs(std::optional<double> ms) {
  if (!ms || !std::isfinite(*ms) || *ms < 0) return "";
  if (*ms < 1) return "<1ms";
  return FormatDuration(std::chrono::milliseconds(std::llround(*ms)));
}

std::optional<SystemTime> SagaStart(const json& saga) {
  if (auto created = internal::Time(saga, "created_at")) return created;
  const json& events = Get(saga, "events");
  if (events.is_array() && !events.empty()) return internal::Time(events.front(), "at");
  return std::nullopt;
}

std::vector<const json*> EventsAfter(const json& saga, long long seq) {
  std::vector<const json*> out;
  const json& events = Get(saga, "events");
  if (!events.is_array()) return out;
  for (const json& e : events) {
    if (internal::Int(e, "seq").value_or(0) > seq) out.push_back(&e);
  }
  return out;
}

long long LastSeq(const json& saga, long long after) {
  for (const json* e : EventsAfter(saga, after)) {
    after = std::max(after, internal::Int(*e, "seq").value_or(after));
  }
  return after;
}

Table EventsTable(const json& saga) {
  Table table{{{"AT"}, {"KIND"}, {"STEP"}, {"ATTEMPT"}, {"DURATION"}, {"ERROR"}, {"DETAIL", true}},
              {}};
  const auto start = SagaStart(saga);
  for (const json* e : EventsAfter(saga, -1)) {
    table.rows.push_back({Offset(*e, start), Text(*e, "kind"), Text(*e, "step_name"), Attempt(*e),
                          FormatDurationMs(internal::Number(*e, "duration_ms")),
                          OneLine(Text(*e, "error")), Detail(*e)});
  }
  return table;
}

std::string FormatEventLine(const json& event, std::optional<SystemTime> start) {
  const std::string attempt = Attempt(event);
  std::string line = Pad(Offset(event, start), 8) + "  " + Pad(Text(event, "kind"), 28) + "  " +
                     Pad(Text(event, "step_name"), 14) + "  " +
                     Pad(attempt.empty() ? "" : "attempt " + attempt, 10) + "  " +
                     Pad(FormatDurationMs(internal::Number(event, "duration_ms")), 7) + "  " +
                     OneLine(Text(event, "error"));
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::vector<std::string> StepStates(const json& saga) {
  const json& steps = Get(saga, "steps");
  std::vector<std::string> states(steps.is_array() ? steps.size() : 0, "pending");
  for (const json* e : EventsAfter(saga, -1)) {
    const auto step = internal::Int(*e, "step");
    const std::string_view state = StateAfter(Text(*e, "kind"));
    if (!step || *step < 0 || static_cast<std::size_t>(*step) >= states.size() || state.empty()) {
      continue;
    }
    states[static_cast<std::size_t>(*step)] = std::string(state);
  }
  return states;
}

std::string DescribeSaga(const json& saga, SystemTime now, bool wide) {
  Describer d;
  d.Field("Name", Text(saga, "id"));
  d.Field("Type", Text(saga, "type"));
  d.Field("Status", Text(saga, "status"));
  d.Field("Phase", Text(saga, "phase"));
  const std::string step_name = Text(saga, "step_name");
  d.Field("Step", step_name.empty() ? "" : step_name + " (#" + Text(saga, "step") + ")");
  d.Field("Attempt", Text(saga, "attempt"));
  d.Field("Engine", Text(saga, "owner"));
  d.Field("Error", OneLine(Text(saga, "error")));
  d.Field("Created", internal::Stamp(saga, "created_at", now));
  d.Field("Updated", internal::Stamp(saga, "updated_at", now));
  if (IsTerminalStatus(Text(saga, "status"))) {
    if (auto took = Elapsed(saga)) d.Field("Duration", FormatDuration(*took));
  } else if (auto start = SagaStart(saga)) {
    const auto so_far = std::chrono::duration_cast<std::chrono::milliseconds>(now - *start);
    d.Field("Duration", FormatDuration(so_far) + " so far");
  }

  d.Section("Steps");
  const json& steps = Get(saga, "steps");
  Table step_table{{{"#"}, {"NAME"}, {"STATE"}, {"COMPENSABLE"}, {"ASYNC"}, {"PERSIST"}}, {}};
  const std::vector<std::string> states = StepStates(saga);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const json& s = steps[i];
    step_table.rows.push_back({std::to_string(i), Text(s, "name"), states[i],
                               YesNo(s, "compensable"), YesNo(s, "async"), Text(s, "persist")});
  }
  d.Text(step_table.rows.empty() ? std::string(kNone) : RenderTable(step_table, wide), 1);
  d.Section("Input");
  AddValues(d, Get(saga, "input"));
  d.Section("Data");
  AddValues(d, Get(saga, "data"));
  d.Section("Events");
  const Table events = EventsTable(saga);
  d.Text(events.rows.empty() ? std::string(kNone) : RenderTable(events, wide), 1);
  return d.Render();
}

std::string FinishLine(const json& saga) {
  const std::string id = Text(saga, "id");
  const std::string status = Text(saga, "status");
  const auto took = Elapsed(saga);
  std::string line = id + " " + status;
  if (status == "completed") {
    if (took) line += " in " + FormatDuration(*took);
    if (const std::string instance = Text(Get(saga, "data"), "instanceId"); !instance.empty()) {
      line += " (instance " + instance + ")";
    }
    return line + "\n";
  }
  if (took) line += " after " + FormatDuration(*took);
  if (const std::string error = OneLine(Text(saga, "error")); !error.empty()) {
    line += ": " + error;
  }
  if (status == "compensation_failed") line += "\nretry it with: made0ctl retry saga " + id;
  return line + "\n";
}

}  // namespace made0::ctl
