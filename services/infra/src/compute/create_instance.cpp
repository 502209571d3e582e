// CreateInstance (seed figure 5): the steps, their compensations and what each persists.
//
// Every handler is idempotent: network objects are get-or-create (network_ensure.hpp), the
// address lease and the zone reservation are keyed by the saga, RunInstance carries the step's
// idempotency token (EC2's ClientToken), and records are upserts. So a step retried after a
// crash has no second effect.
#include "made0/amqp/message.hpp"
#include "made0/core/log.hpp"
#include "made0/infra/compute/placement.hpp"
#include "made0/infra/compute/sagas.hpp"
#include "network_ensure.hpp"
#include "saga_steps.hpp"

namespace made0::infra::compute {
namespace {

using saga::StepContext;
using saga::StepResult;

// Cluster step: ask for the cluster over AMQP, as the seed's asynchronous `cluster` step does;
// infra's own command consumer answers (EnsureCluster in commands.cpp).
StepResult SendEnsureCluster(ComputeDeps& deps, const StepContext& ctx) {
  const nlohmann::json body = {{"type", kEnsureCluster},
                               {"version", 1},
                               {"owner", Str(ctx.input, "owner")},
                               {"name", Str(ctx.input, "cluster")},
                               {"region", Str(ctx.input, "region")}};
  amqp::Message m;
  m.exchange = amqp::kCommandsExchange;
  m.routing_key = kEnsureClusterKey;
  m.message_id = ctx.correlation_id;
  m.correlation_id = ctx.correlation_id;
  m.reply_to = deps.reply_queue;
  m.type = kEnsureCluster;
  m.body = body.dump();
  if (Status st = deps.publisher.Publish(m); !st) return StepResult::Retry(st.error());
  return StepResult::Sent();
}

// ReassertNetwork makes the cluster's network exist at the provider again after it answered
// NotFound for an ID made0 recorded (see network_ensure.hpp), and has the step retried with fresh
// IDs.
StepResult ReassertNetwork(ComputeDeps& deps, const StepContext& ctx, const Error& error,
                           bool subnet_and_group) {
  log::Warn("the provider lost a network object; making it again",
            {{"saga_id", ctx.saga_id}, {"step", ctx.step}, {"error", error.message}});
  auto vpc = deps.network.GetVpc(Str(ctx.data.at("cluster"), "vpc_id"));
  if (!vpc) return StepResult::FromError(vpc.error());
  auto again = EnsureRegionVpc(deps.network, deps.provider, vpc->region, vpc->name, Reassert::kYes);
  if (!again) return StepResult::FromError(again.error());
  if (subnet_and_group) {
    auto subnet = deps.network.GetSubnet(Str(ctx.data, "subnetId"));
    if (!subnet) return StepResult::FromError(subnet.error());
    auto s = EnsureZoneSubnet(deps.network, deps.provider, *again, subnet->availability_zone,
                              deps.subnet_prefix, Reassert::kYes);
    if (!s) return StepResult::FromError(s.error());
    auto g = EnsureClusterGroup(
        deps.network, deps.provider, *again,
        ClusterGroupName(Str(ctx.input, "owner"), Str(ctx.input, "cluster")), Reassert::kYes);
    if (!g) return StepResult::FromError(g.error());
  }
  return StepResult::Retry(error);
}

StepResult SecurityGroups(ComputeDeps& deps, const StepContext& ctx) {
  const nlohmann::json& cluster = ctx.data.at("cluster");
  auto vpc = deps.network.GetVpc(Str(cluster, "vpc_id"));
  if (!vpc) return StepResult::FromError(vpc.error());
  const std::string owner = Str(ctx.input, "owner");
  const std::string name = Str(ctx.input, "cluster");
  auto group = EnsureClusterGroup(deps.network, deps.provider, *vpc, ClusterGroupName(owner, name));
  if (!group && group.error().code == ErrorCode::kNotFound) {
    return ReassertNetwork(deps, ctx, group.error(), false);
  }
  if (!group) return StepResult::FromError(group.error());
  if (Status st = deps.instances.SetClusterSecurityGroup(owner, name, group->id); !st) {
    return StepResult::FromError(st.error());
  }
  return StepResult::Done(nlohmann::json::array({group->provider_id.value_or(group->id)}));
}

StepResult CategoryStep(const StepContext& ctx) {
  auto category = ResolveCategory(ctx.input.value("category", ""));
  if (!category) return StepResult::Fail(category.error());
  return StepResult::Done(category->count);
}

StepResult SubnetStep(ComputeDeps& deps, const StepContext& ctx) {
  const network::Region* region = deps.network.Regions().Find(Str(ctx.input, "region"));
  if (region == nullptr) return StepResult::Fail(Error::Invalid("region", "unknown region"));
  auto zone =
      deps.instances.ReserveZone(*region, Str(ctx.input, "owner"), Str(ctx.input, "cluster"),
                                 ctx.saga_id, ctx.input.value("availability_zone", ""));
  if (!zone) return StepResult::FromError(zone.error());
  auto vpc = deps.network.GetVpc(Str(ctx.data.at("cluster"), "vpc_id"));
  if (!vpc) return StepResult::FromError(vpc.error());
  auto subnet = EnsureZoneSubnet(deps.network, deps.provider, *vpc, *zone, deps.subnet_prefix);
  if (!subnet && subnet.error().code == ErrorCode::kNotFound) {
    return ReassertNetwork(deps, ctx, subnet.error(), false);
  }
  if (!subnet) return StepResult::FromError(subnet.error());
  auto lease = deps.network.AllocateAddress(subnet->id, AddressOwner(ctx.saga_id));
  if (!lease) return StepResult::FromError(lease.error());
  return StepResult::Done(subnet->id);
}

// UndoSubnet releases the address in whichever of the VPC's subnets holds it (the step may have
// allocated one and died before persisting subnetId) and the zone reservation.
StepResult UndoSubnet(ComputeDeps& deps, const StepContext& ctx) {
  if (ctx.data.contains("cluster")) {
    auto subnets = deps.network.ListSubnets(Str(ctx.data.at("cluster"), "vpc_id"));
    if (subnets) {
      for (const network::Subnet& s : *subnets) {
        deps.network.ReleaseAddress(s.id, AddressOwner(ctx.saga_id));
      }
    }
  }
  deps.instances.ReleaseZone(ctx.saga_id);
  return StepResult::Done();
}

StepResult RunInstanceStep(ComputeDeps& deps, const StepContext& ctx) {
  const std::string subnet_id = Str(ctx.data, "subnetId");
  auto subnet = deps.network.GetSubnet(subnet_id);
  if (!subnet) return StepResult::FromError(subnet.error());
  auto ip = LeasedAddress(deps.network, subnet_id, AddressOwner(ctx.saga_id));
  if (!ip) return StepResult::Fail(ip.error());
  auto category = ResolveCategory(ctx.input.value("category", ""));
  if (!category) return StepResult::Fail(category.error());

  cloud::RunInstanceSpec spec;
  spec.region = Str(ctx.input, "region");
  spec.az = subnet->availability_zone;
  spec.subnet_id = subnet->provider_id.value_or(subnet->id);
  spec.image = ctx.input.value("image", "test");
  spec.instance_type = category->instance_type;
  spec.private_ip = *ip;
  spec.security_group_ids = ctx.data.at("securityGroupIds").get<std::vector<std::string>>();
  if (auto tags = ctx.input.find("tags"); tags != ctx.input.end() && tags->is_object()) {
    for (auto it = tags->begin(); it != tags->end(); ++it)
      spec.tags[it.key()] = it->get<std::string>();
  }
  spec.tags["Name"] = ctx.input.at("cluster").get<std::string>() + "-" + *ip;
  spec.tags[std::string(kOwnerTag)] = Str(ctx.input, "owner");
  spec.tags[std::string(kClusterTag)] = Str(ctx.input, "cluster");
  spec.tags[std::string(kSagaTag)] = ctx.saga_id;
  spec.user_data = ctx.input.value("user_data", nlohmann::json::object()).dump();
  spec.idempotency_token = ctx.idempotency_token;
  auto inst = deps.provider.RunInstance(spec);
  if (!inst && inst.error().code == ErrorCode::kNotFound) {
    return ReassertNetwork(deps, ctx, inst.error(), true);
  }
  if (!inst) return StepResult::FromError(inst.error());
  log::Info("instance launched", {{"saga_id", ctx.saga_id}, {"instance_id", inst->id}});
  return StepResult::Done(inst->id);
}

// UndoRunInstance terminates what runInstance started and waits until it is gone, so that its
// address is released only once nothing uses it. Without a persisted instanceId (the step died
// before recording it) the instance is found by its made0:saga tag.
StepResult UndoRunInstance(ComputeDeps& deps, const StepContext& ctx) {
  const std::string region = Str(ctx.input, "region");
  auto described = ctx.data.contains("instanceId")
                       ? deps.provider.DescribeInstances(region, {Str(ctx.data, "instanceId")})
                       : deps.provider.DescribeInstances(region, {});
  if (!described) {
    if (described.error().code == ErrorCode::kNotFound) return StepResult::Done();
    return StepResult::FromError(described.error());
  }
  bool waiting = false;
  for (const cloud::Instance& inst : *described) {
    auto tag = inst.tags.find(std::string(kSagaTag));
    if (tag == inst.tags.end() || tag->second != ctx.saga_id) continue;
    if (inst.state == cloud::InstanceState::kTerminated) continue;
    waiting = true;
    if (Status st = deps.provider.TerminateInstance(region, inst.id); !st) {
      return StepResult::FromError(st.error());
    }
  }
  return waiting ? StepResult::PollAfter(deps.poll_interval) : StepResult::Done();
}

StepResult AwaitInstance(ComputeDeps& deps, const StepContext& ctx) {
  const std::string id = Str(ctx.data, "instanceId");
  auto described = deps.provider.DescribeInstances(Str(ctx.input, "region"), {id});
  // Just after RunInstances, EC2 may not describe the instance yet: look again.
  if (!described && described.error().code == ErrorCode::kNotFound) {
    return StepResult::PollAfter(deps.poll_interval);
  }
  if (!described) return StepResult::FromError(described.error());
  if (described->empty()) return StepResult::PollAfter(deps.poll_interval);
  const cloud::Instance& inst = described->front();
  switch (inst.state) {
    case cloud::InstanceState::kRunning:
      return StepResult::Done(ObservedInstance(inst));
    case cloud::InstanceState::kPending:
      return StepResult::PollAfter(deps.poll_interval);
    default:
      return StepResult::Fail(
          Error::Conflict("instance " + id + " is " + std::string(cloud::ToString(inst.state)) +
                          (inst.state_reason.empty() ? "" : ": " + inst.state_reason)));
  }
}

StepResult SaveInstanceStep(ComputeDeps& deps, const StepContext& ctx) {
  deps.instances.SaveInstance(RecordFrom(ctx, deps.provider.name()));
  return StepResult::Done();
}

StepResult UndoSaveInstance(ComputeDeps& deps, const StepContext& ctx) {
  if (ctx.data.contains("instanceId")) deps.instances.DeleteInstance(Str(ctx.data, "instanceId"));
  return StepResult::Done();
}

// OnComplete announces the instance. It is the last step, so no compensation can follow an
// instance.running event; the event goes through the outbox, once per saga.
StepResult OnComplete(ComputeDeps& deps, const StepContext& ctx) {
  auto record = deps.instances.GetInstance(Str(ctx.data, "instanceId"));
  if (!record) return StepResult::Fail(Error::NotFound("the instance record is gone"));
  deps.instances.Announce(InstanceEvent(kInstanceRunningKey, ctx.saga_id, ToJson(*record)));
  return StepResult::Done();
}

}  // namespace

saga::Definition CreateInstanceSaga(ComputeDeps& deps) {
  ComputeDeps* d = &deps;
  auto with = [d](StepResult (*f)(ComputeDeps&, const StepContext&)) {
    return [d, f](const StepContext& ctx) { return f(*d, ctx); };
  };
  saga::Definition def(kCreateInstance);
  def.Push(saga::Step("cluster", with(SendEnsureCluster))
               .Async()
               .Persist("cluster")
               .Timeout(deps.reply_timeout))
      .Push(saga::Step("securityGroups", with(SecurityGroups)).Persist("securityGroupIds"))
      .Push(saga::Step("category", CategoryStep).Persist("count"))
      .Push(saga::Step("subnet", with(SubnetStep)).Compensate(with(UndoSubnet)).Persist("subnetId"))
      .Push(saga::Step("runInstance", with(RunInstanceStep))
                .Compensate(with(UndoRunInstance))
                .Persist("instanceId"))
      .Push(saga::Step("awaitInstance", with(AwaitInstance))
                .Persist("instance")
                .Timeout(deps.await_timeout))
      .Push(saga::Step("saveInstance", with(SaveInstanceStep)).Compensate(with(UndoSaveInstance)))
      .Push(saga::Step("onComplete", with(OnComplete)).Retry(kPatientRetry))
      .OnFinished([d](const saga::FinishedSaga& f) -> Status {
        nlohmann::json result = nullptr;
        if (f.status == saga::SagaStatus::kCompleted) {
          if (auto r = d->instances.GetInstance(f.data.value("instanceId", "")))
            result = ToJson(*r);
        }
        return PublishReply(d->publisher, f, ReplyBody(f, std::move(result)));
      });
  return def;
}

}  // namespace made0::infra::compute
