#include "saga_steps.hpp"

#include "made0/core/encoding.hpp"
#include "made0/ipam/cidr.hpp"

namespace made0::infra::compute {

std::string ClusterGroupName(std::string_view owner, std::string_view cluster) {
  return "made0-" + std::string(cluster) + "-" + Sha256Hex(owner).substr(0, 8);
}

std::string AddressOwner(std::string_view saga_id) { return std::string(saga_id); }

Result<std::string> LeasedAddress(network::NetworkStore& network, const std::string& subnet_id,
                                  const std::string& owner) {
  auto leases = network.ListAddresses(subnet_id);
  if (!leases) return leases.error();
  for (const network::AddressLease& l : *leases) {
    if (l.owner == owner) return ipam::FormatAddress(l.address);
  }
  return Error::NotFound("subnet " + subnet_id + " holds no address for " + owner);
}

nlohmann::json ObservedInstance(const cloud::Instance& inst) {
  nlohmann::json endpoints = nlohmann::json::object();
  for (const auto& [name, address] : inst.endpoints) endpoints[name] = address;
  return {{"id", inst.id},
          {"state", std::string(cloud::ToString(inst.state))},
          {"availability_zone", inst.az},
          {"provider_subnet_id", inst.subnet_id},
          {"private_ip", inst.private_ip},
          {"image", inst.image},
          {"instance_type", inst.instance_type},
          {"endpoints", endpoints}};
}

InstanceRecord RecordFrom(const saga::StepContext& ctx, std::string_view provider) {
  const nlohmann::json& inst = ctx.data.at("instance");
  InstanceRecord r;
  r.id = inst.at("id");
  r.saga_id = ctx.saga_id;
  r.owner = ctx.input.at("owner");
  r.cluster = ctx.input.at("cluster");
  r.region = ctx.input.at("region");
  r.availability_zone = inst.at("availability_zone");
  r.subnet_id = ctx.data.at("subnetId");
  r.private_ip = inst.at("private_ip");
  r.address_owner = AddressOwner(ctx.saga_id);
  r.instance_type = inst.at("instance_type");
  r.image = inst.at("image");
  r.state = inst.at("state");
  r.endpoints = inst.at("endpoints");
  r.provider = std::string(provider);
  return r;
}

amqp::Message InstanceEvent(std::string_view routing_key, std::string_view saga_id,
                            nlohmann::json instance) {
  amqp::Message m;
  m.exchange = amqp::kEventsExchange;
  m.routing_key = std::string(routing_key);
  m.message_id = std::string(saga_id) + ":" + std::string(routing_key);
  m.type = std::string(routing_key);
  m.mandatory = false;  // announced whether or not anyone subscribed yet
  m.body = nlohmann::json{{"type", routing_key}, {"version", 1}, {"instance", std::move(instance)}}
               .dump();
  return m;
}

}  // namespace made0::infra::compute
