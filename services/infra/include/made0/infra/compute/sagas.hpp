#pragma once
// The infra service's sagas (seed figure 5) and the pieces they share.
//
// CreateInstance:  cluster [cluster] (async: an EnsureCluster command, answered over AMQP) ->
//                  securityGroups [securityGroupIds] -> category [count] ->
//                  subnet [subnetId] (undo: release the address and the zone) ->
//                  runInstance [instanceId] (undo: terminate, wait until terminated) ->
//                  awaitInstance [instance] -> saveInstance (undo: delete the record) ->
//                  onComplete (event instance.running)
// TerminateInstance: lookup [instance] -> terminate -> awaitTerminated -> release -> delete ->
//                  onComplete (event instance.terminated)
//
// Either saga answers the command that started it (input reply_to / correlation_id) with
// {"ok": true, "saga_id", "result": ...} or
// {"ok": false, "saga_id", "status": "compensated", "error": {"code", "message"}}.
// docs/infra-api.md is the contract.

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "made0/amqp/publisher.hpp"
#include "made0/cloud/provider.hpp"
#include "made0/infra/compute/instance_store.hpp"
#include "made0/infra/network/network_store.hpp"
#include "made0/saga/definition.hpp"

namespace made0::infra::compute {

inline constexpr const char* kCreateInstance = "CreateInstance";
inline constexpr const char* kTerminateInstance = "TerminateInstance";
inline constexpr const char* kEnsureCluster = "EnsureCluster";
// Routing keys on made0.commands, and the queue infra consumes them from.
inline constexpr const char* kCreateInstanceKey = "infra.CreateInstance";
inline constexpr const char* kTerminateInstanceKey = "infra.TerminateInstance";
inline constexpr const char* kEnsureClusterKey = "infra.EnsureCluster";
inline constexpr const char* kCommandsQueue = "infra.commands";
// Events on made0.events.
inline constexpr const char* kInstanceRunningKey = "instance.running";
inline constexpr const char* kInstanceTerminatedKey = "instance.terminated";

struct ComputeDeps {
  network::NetworkStore& network;
  PgInstanceStore& instances;
  cloud::Provider& provider;
  amqp::Publisher& publisher;
  std::string reply_queue;         // where replies to the sagas' own commands arrive
  std::string vpc_name = "made0";  // each region's VPC for clusters
  int subnet_prefix = 20;          // size of the per-zone subnets made on demand
  std::chrono::milliseconds await_timeout{120'000};
  std::chrono::milliseconds poll_interval{250};
  std::chrono::milliseconds reply_timeout{10'000};  // the cluster step's EnsureCluster
};

saga::Definition CreateInstanceSaga(ComputeDeps& deps);
saga::Definition TerminateInstanceSaga(ComputeDeps& deps);

// ValidateCreateInstance checks a CreateInstance request (owner, cluster, region,
// availability_zone, category, image, user_data, tags; "type" and "version" of a command are
// allowed) and returns the saga input; Invalid naming the field otherwise.
// ValidateTerminateInstance checks {instance_id} the same way; ValidateEnsureCluster checks
// {owner, name, region}.
Result<nlohmann::json> ValidateCreateInstance(const nlohmann::json& body,
                                              const network::RegionSet& regions);
Result<nlohmann::json> ValidateTerminateInstance(const nlohmann::json& body);
Result<nlohmann::json> ValidateEnsureCluster(const nlohmann::json& body,
                                             const network::RegionSet& regions);

// EnsureCluster answers the EnsureCluster command: the region's VPC (made on demand, here and at
// the provider) and the cluster record. The reply follows saga::DefaultReply's convention, with
// "retryable" set for transient failures.
nlohmann::json EnsureCluster(ComputeDeps& deps, const nlohmann::json& body);

// SagaIdFor derives a saga ID from a command's message_id, so a redelivered command starts
// nothing new.
std::string SagaIdFor(std::string_view message_id);

// ReplyBody is the reply to the command that started a saga; result is used when it completed.
nlohmann::json ReplyBody(const saga::FinishedSaga& finished, nlohmann::json result);

// ErrorReply is the immediate answer to a command that starts nothing (invalid body).
nlohmann::json ErrorReply(const Error& error);

// PublishReply answers the command recorded in a saga's input (reply_to, correlation_id); Ok
// when the input names no reply_to.
Status PublishReply(amqp::Publisher& publisher, const saga::FinishedSaga& finished,
                    const nlohmann::json& body);

}  // namespace made0::infra::compute
