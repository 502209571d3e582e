#include "made0/infra/compute/compute_api.hpp"

#include <algorithm>
#include <charconv>

#include "made0/http/message.hpp"
#include "made0/infra/compute/sagas.hpp"
#include "made0/runtime/guard.hpp"

namespace made0::infra::compute {
namespace {

std::string Query(const http::Request& req, std::string_view name) {
  return std::string(req.Query(name).value_or(""));
}

std::string PathId(const http::Request& req) {
  return std::string(req.PathParam("id").value_or(""));
}

std::string StepName(const saga::Definition* def, int step) {
  if (def == nullptr || step < 0 || step >= static_cast<int>(def->specs().size())) return "";
  return def->specs()[static_cast<std::size_t>(step)].name;
}

// Redacted hides what a saga's input carries for the instance itself (user_data may hold keys
// and certificates): people see that it is there and how big it is, never its content.
nlohmann::json Redacted(const nlohmann::json& input) {
  nlohmann::json out = nlohmann::json::object();
  for (auto it = input.begin(); it != input.end(); ++it) {
    if (it.key() == "user_data" && !it->empty()) {
      out[it.key()] = std::to_string(it->dump().size()) + " bytes, not shown";
    } else {
      out[it.key()] = *it;
    }
  }
  return out;
}

}  // namespace

nlohmann::json SagaSummaryJson(const saga::SagaSummary& s, const saga::Definition* def) {
  return {{"id", s.id},
          {"type", s.type},
          {"status", std::string(saga::ToString(s.status))},
          {"phase", std::string(saga::ToString(s.phase))},
          {"step", s.step},
          {"step_name", StepName(def, s.step)},
          {"attempt", s.attempt},
          {"error", s.error},
          {"owner", s.owner},
          {"created_at", FormatRfc3339(s.created_at)},
          {"updated_at", FormatRfc3339(s.updated_at)}};
}

nlohmann::json SagaJson(const saga::SagaView& v, const saga::Definition* def) {
  nlohmann::json out = SagaSummaryJson(v.summary, def);
  nlohmann::json steps = nlohmann::json::array();
  if (def != nullptr) {
    for (const saga::StepSpec& s : def->specs()) {
      steps.push_back({{"name", s.name},
                       {"compensable", s.compensable},
                       {"async", s.async},
                       {"persist", s.persist_key ? nlohmann::json(*s.persist_key) : nullptr}});
    }
  }
  nlohmann::json events = nlohmann::json::array();
  for (const saga::EventView& e : v.events) {
    events.push_back({{"seq", e.seq},
                      {"at", FormatRfc3339(e.at)},
                      {"kind", e.kind},
                      {"step", e.step},
                      {"step_name", e.step_name},
                      {"attempt", e.attempt},
                      {"duration_ms", e.duration_ms ? nlohmann::json(*e.duration_ms) : nullptr},
                      {"error", e.error},
                      {"detail", e.detail}});
  }
  out["steps"] = std::move(steps);
  out["input"] = Redacted(v.record.input);
  out["data"] = v.record.data;
  out["events"] = std::move(events);
  return out;
}

void ComputeApi::AddRoutes(http::Router& router) {
  const auto route = [&](const char* method, const char* pattern,
                         http::Response (ComputeApi::*handler)(http::Request&)) {
    router.Add(method, pattern,
               runtime::Guard([this, handler](http::Request& r) { return (this->*handler)(r); }));
  };
  route("GET", "/v1/clusters", &ComputeApi::ListClusters);
  route("GET", "/v1/instances", &ComputeApi::ListInstances);
  route("POST", "/v1/instances", &ComputeApi::CreateInstance);
  route("GET", "/v1/instances/{id}", &ComputeApi::GetInstance);
  route("DELETE", "/v1/instances/{id}", &ComputeApi::TerminateInstance);
  route("GET", "/v1/sagas", &ComputeApi::ListSagas);
  route("GET", "/v1/sagas/{id}", &ComputeApi::GetSaga);
  route("POST", "/v1/sagas/{id}/retry", &ComputeApi::RetrySaga);
}

http::Response ComputeApi::ListClusters(http::Request& req) {
  nlohmann::json list = nlohmann::json::array();
  for (const Cluster& c : instances_.ListClusters(Query(req, "owner"))) list.push_back(ToJson(c));
  return http::Response::Json(200, {{"clusters", list}});
}

http::Response ComputeApi::ListInstances(http::Request& req) {
  const std::string region = Query(req, "region");
  if (!region.empty() && regions_.Find(region) == nullptr) {
    return http::Response::Error(Error::Invalid("region", "unknown region '" + region + "'"));
  }
  nlohmann::json list = nlohmann::json::array();
  for (const InstanceRecord& r :
       instances_.ListInstances({Query(req, "owner"), Query(req, "cluster"), region})) {
    list.push_back(ToJson(r));
  }
  return http::Response::Json(200, {{"instances", list}});
}

http::Response ComputeApi::GetInstance(http::Request& req) {
  auto r = instances_.GetInstance(PathId(req));
  if (!r) return http::Response::Error(Error::NotFound("no instance " + PathId(req)));
  return http::Response::Json(200, ToJson(*r));
}

namespace {

// SagaIdFromRequest: with an Idempotency-Key header, the saga's ID derives from it, so a client
// that repeats a request (a timeout, a crash) gets the saga the first one started; "" without.
Result<std::string> SagaIdFromRequest(const http::Request& req) {
  auto key = req.Header("Idempotency-Key");
  if (!key) return std::string();
  if (key->empty() || key->size() > 128 ||
      !std::all_of(key->begin(), key->end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return Error::Invalid("Idempotency-Key",
                          "Idempotency-Key must have 1-128 printable ASCII characters");
  }
  return SagaIdFor("http:" + std::string(*key));
}

}  // namespace

http::Response ComputeApi::Started(const Result<std::string>& id) {
  if (!id) return http::Response::Error(id.error());
  auto view = engine_.store().Get(*id);
  nlohmann::json body = {{"saga_id", *id}};
  if (view) body["saga"] = SagaSummaryJson(view->summary, engine_.Find(view->summary.type));
  return http::Response::Json(202, body);
}

http::Response ComputeApi::CreateInstance(http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return http::Response::Error(body.error());
  auto input = ValidateCreateInstance(*body, regions_);
  if (!input) return http::Response::Error(input.error());
  auto id = SagaIdFromRequest(req);
  if (!id) return http::Response::Error(id.error());
  return Started(engine_.StartSaga(kCreateInstance, std::move(*input), *id));
}

http::Response ComputeApi::TerminateInstance(http::Request& req) {
  auto input = ValidateTerminateInstance({{"instance_id", PathId(req)}});
  if (!input) return http::Response::Error(input.error());
  if (!instances_.GetInstance(PathId(req))) {
    return http::Response::Error(Error::NotFound("no instance " + PathId(req)));
  }
  auto id = SagaIdFromRequest(req);
  if (!id) return http::Response::Error(id.error());
  return Started(engine_.StartSaga(kTerminateInstance, std::move(*input), *id));
}

http::Response ComputeApi::ListSagas(http::Request& req) {
  saga::ListOptions options;
  if (const std::string status = Query(req, "status"); !status.empty()) {
    options.status = saga::ParseStatus(status);
    if (!options.status) {
      return http::Response::Error(Error::Invalid(
          "status",
          "status must be running, compensating, completed, compensated or compensation_failed"));
    }
  }
  options.type = Query(req, "type");
  if (const std::string limit = Query(req, "limit"); !limit.empty()) {
    int n = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || end != limit.data() + limit.size() || n < 1 || n > 500) {
      return http::Response::Error(Error::Invalid("limit", "limit must be 1 to 500"));
    }
    options.limit = n;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const saga::SagaSummary& s : engine_.store().List(options)) {
    list.push_back(SagaSummaryJson(s, engine_.Find(s.type)));
  }
  return http::Response::Json(200, {{"sagas", list}});
}

http::Response ComputeApi::GetSaga(http::Request& req) {
  auto view = engine_.store().Get(PathId(req));
  if (!view) return http::Response::Error(Error::NotFound("no saga " + PathId(req)));
  return http::Response::Json(200, SagaJson(*view, engine_.Find(view->summary.type)));
}

http::Response ComputeApi::RetrySaga(http::Request& req) {
  if (Status st = engine_.Retry(PathId(req)); !st) return http::Response::Error(st.error());
  auto view = engine_.store().Get(PathId(req));
  if (!view) return http::Response::Error(Error::NotFound("no saga " + PathId(req)));
  return http::Response::Json(202,
                              SagaSummaryJson(view->summary, engine_.Find(view->summary.type)));
}

}  // namespace made0::infra::compute
