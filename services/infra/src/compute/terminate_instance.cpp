// TerminateInstance: terminate at the provider, wait until terminated, release the address and
// the zone, delete the record, announce instance.terminated. Nothing here can be undone, so no
// step has a compensation: a saga that fails (an unknown instance) simply ends compensated.
#include "made0/core/log.hpp"
#include "made0/infra/compute/sagas.hpp"
#include "saga_steps.hpp"

namespace made0::infra::compute {
namespace {

using saga::StepContext;
using saga::StepResult;

StepResult Lookup(ComputeDeps& deps, const StepContext& ctx) {
  const std::string id = Str(ctx.input, "instance_id");
  auto record = deps.instances.GetInstance(id);
  if (!record) return StepResult::Fail(Error::NotFound("no instance " + id));
  deps.instances.UpdateState(id, "shutting-down", record->endpoints);
  return StepResult::Done(ToJson(*record));
}

StepResult Terminate(ComputeDeps& deps, const StepContext& ctx) {
  const nlohmann::json& inst = ctx.data.at("instance");
  Status st = deps.provider.TerminateInstance(Str(inst, "region"), Str(inst, "id"));
  if (!st && st.error().code != ErrorCode::kNotFound) return StepResult::FromError(st.error());
  return StepResult::Done();
}

StepResult AwaitTerminated(ComputeDeps& deps, const StepContext& ctx) {
  const nlohmann::json& inst = ctx.data.at("instance");
  auto described = deps.provider.DescribeInstances(Str(inst, "region"), {Str(inst, "id")});
  if (!described) {
    // A cloud forgets terminated instances after a while.
    if (described.error().code == ErrorCode::kNotFound) return StepResult::Done();
    return StepResult::FromError(described.error());
  }
  if (described->empty() || described->front().state == cloud::InstanceState::kTerminated) {
    return StepResult::Done();
  }
  return StepResult::PollAfter(deps.poll_interval);
}

StepResult Release(ComputeDeps& deps, const StepContext& ctx) {
  const nlohmann::json& inst = ctx.data.at("instance");
  deps.network.ReleaseAddress(inst.at("subnet_id").get<std::string>(),
                              AddressOwner(inst.at("saga_id").get<std::string>()));
  deps.instances.ReleaseZone(Str(inst, "saga_id"));
  return StepResult::Done();
}

StepResult Delete(ComputeDeps& deps, const StepContext& ctx) {
  deps.instances.DeleteInstance(Str(ctx.data.at("instance"), "id"));
  return StepResult::Done();
}

StepResult OnComplete(ComputeDeps& deps, const StepContext& ctx) {
  nlohmann::json inst = ctx.data.at("instance");
  inst["state"] = "terminated";
  deps.instances.Announce(InstanceEvent(kInstanceTerminatedKey, ctx.saga_id, std::move(inst)));
  return StepResult::Done();
}

}  // namespace

saga::Definition TerminateInstanceSaga(ComputeDeps& deps) {
  ComputeDeps* d = &deps;
  auto with = [d](StepResult (*f)(ComputeDeps&, const StepContext&)) {
    return [d, f](const StepContext& ctx) { return f(*d, ctx); };
  };
  saga::Definition def(kTerminateInstance);
  def.Push(saga::Step("lookup", with(Lookup)).Persist("instance"))
      .Push(saga::Step("terminate", with(Terminate)).Retry(kPatientRetry))
      .Push(saga::Step("awaitTerminated", with(AwaitTerminated)).Timeout(deps.await_timeout))
      .Push(saga::Step("release", with(Release)).Retry(kPatientRetry))
      .Push(saga::Step("delete", with(Delete)).Retry(kPatientRetry))
      .Push(saga::Step("onComplete", with(OnComplete)).Retry(kPatientRetry))
      .OnFinished([d](const saga::FinishedSaga& f) -> Status {
        nlohmann::json result = {{"instance_id", f.input.value("instance_id", "")},
                                 {"state", "terminated"}};
        return PublishReply(d->publisher, f, ReplyBody(f, std::move(result)));
      });
  return def;
}

}  // namespace made0::infra::compute
