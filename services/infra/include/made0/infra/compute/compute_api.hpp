#pragma once
// The infra service's HTTP API for compute and sagas (docs/infra-api.md is the contract):
//
//   GET    /v1/clusters[?owner=]                        -> 200 {"clusters":[cluster]}
//   GET    /v1/instances[?owner=&cluster=&region=]      -> 200 {"instances":[instance]}
//   GET    /v1/instances/{id}                           -> 200 instance | 404
//   POST   /v1/instances {CreateInstance's fields}      -> 202 {"saga_id","saga":summary}
//   DELETE /v1/instances/{id}                           -> 202 {"saga_id","saga":summary} | 404
//   GET    /v1/sagas[?status=&type=&limit=]             -> 200 {"sagas":[summary]}
//   GET    /v1/sagas/{id}                               -> 200 saga with steps and events | 404
//   POST   /v1/sagas/{id}/retry                         -> 202 summary | 404 | 409
//
// A POST starts the same saga an AMQP command would, without a reply: the caller follows it at
// /v1/sagas/{id}.

#include <nlohmann/json.hpp>

#include "made0/http/router.hpp"
#include "made0/infra/compute/instance_store.hpp"
#include "made0/infra/network/regions.hpp"
#include "made0/saga/engine.hpp"

namespace made0::infra::compute {

// SagaSummaryJson and SagaJson render the saga log for people (made0ctl, the console).
nlohmann::json SagaSummaryJson(const saga::SagaSummary& s, const saga::Definition* def);
nlohmann::json SagaJson(const saga::SagaView& v, const saga::Definition* def);

class ComputeApi {
 public:
  ComputeApi(PgInstanceStore& instances, saga::Engine& engine, const network::RegionSet& regions)
      : instances_(instances), engine_(engine), regions_(regions) {}

  void AddRoutes(http::Router& router);

  http::Response ListClusters(http::Request& req);
  http::Response ListInstances(http::Request& req);
  http::Response GetInstance(http::Request& req);
  http::Response CreateInstance(http::Request& req);
  http::Response TerminateInstance(http::Request& req);
  http::Response ListSagas(http::Request& req);
  http::Response GetSaga(http::Request& req);
  http::Response RetrySaga(http::Request& req);

 private:
  http::Response Started(const Result<std::string>& id);

  PgInstanceStore& instances_;
  saga::Engine& engine_;
  const network::RegionSet& regions_;
};

}  // namespace made0::infra::compute
