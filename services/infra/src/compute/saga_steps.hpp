#pragma once
// What the infra sagas' steps share: names and keys derived from a saga, the JSON an observed
// instance is persisted as, and the record and event made from a finished CreateInstance.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "made0/amqp/message.hpp"
#include "made0/cloud/provider.hpp"
#include "made0/infra/compute/instance_store.hpp"
#include "made0/infra/network/network_store.hpp"
#include "made0/saga/definition.hpp"

namespace made0::infra::compute {

// Tags made0 puts on every instance it runs; kSagaTag finds an instance whose ID was never
// recorded (its saga died between RunInstances and persisting the answer).
inline constexpr std::string_view kOwnerTag = "made0:owner";
inline constexpr std::string_view kClusterTag = "made0:cluster";
inline constexpr std::string_view kSagaTag = "made0:saga";

// kPatientRetry is for steps after which nothing is left to undo but announcing: a broker or
// database outage of several minutes must not compensate a running instance.
inline constexpr saga::RetryPolicy kPatientRetry{.max_attempts = 40,
                                                 .initial_backoff = std::chrono::milliseconds(200),
                                                 .max_backoff = std::chrono::seconds(30)};

// Str reads a string member (a saga's input and data are validated, so at() throwing means a
// bug, which the engine turns into a failed attempt).
inline std::string Str(const nlohmann::json& j, const char* key) {
  return j.at(key).get<std::string>();
}

// ClusterGroupName: the security group of a cluster's members, unique per owner within the
// region's VPC ("made0-abc-1f2e3d4c").
std::string ClusterGroupName(std::string_view owner, std::string_view cluster);
// AddressOwner: the IPAM lease key of the address a saga's instance uses.
std::string AddressOwner(std::string_view saga_id);
// LeasedAddress: the address leased to owner in the subnet; NotFound if it holds none.
Result<std::string> LeasedAddress(network::NetworkStore& network, const std::string& subnet_id,
                                  const std::string& owner);

// ObservedInstance is an instance as a step persists it (awaitInstance's "instance").
nlohmann::json ObservedInstance(const cloud::Instance& inst);
// RecordFrom builds the instance record from a CreateInstance saga's input and data.
InstanceRecord RecordFrom(const saga::StepContext& ctx, std::string_view provider);
// InstanceEvent is an instance.* event for the outbox, with a message_id fixed by the saga.
amqp::Message InstanceEvent(std::string_view routing_key, std::string_view saga_id,
                            nlohmann::json instance);

}  // namespace made0::infra::compute
