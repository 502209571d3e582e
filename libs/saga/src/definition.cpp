#include "made0/saga/definition.hpp"

#include <stdexcept>
#include <utility>

namespace made0::saga {
namespace {

ErrorCode CodeFromName(const std::string& name) {
  for (ErrorCode c : {ErrorCode::kMalformed, ErrorCode::kUnauthenticated,
                      ErrorCode::kPermissionDenied, ErrorCode::kNotFound, ErrorCode::kConflict,
                      ErrorCode::kGone, ErrorCode::kTooLarge, ErrorCode::kInvalid,
                      ErrorCode::kRateLimited, ErrorCode::kInternal, ErrorCode::kUnavailable}) {
    if (ToString(c) == name) return c;
  }
  return ErrorCode::kInternal;
}

}  // namespace

StepResult StepResult::FromError(Error e) {
  const bool transient = e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kRateLimited;
  return transient ? Retry(std::move(e)) : Fail(std::move(e));
}

StepResult DefaultReply(const StepContext& ctx, const nlohmann::json& reply) {
  if (!reply.is_object()) {
    return StepResult::Fail(Error::Internal("reply to " + ctx.step + " is not a JSON object"));
  }
  if (reply.value("ok", false)) return StepResult::Done(reply.value("result", nlohmann::json()));
  const nlohmann::json err = reply.value("error", nlohmann::json::object());
  Error e{CodeFromName(err.is_object() ? err.value("code", "internal") : "internal"),
          err.is_object() ? err.value("message", "the command failed") : "the command failed",
          err.is_object() ? err.value("field", "") : ""};
  return reply.value("retryable", false) ? StepResult::Retry(std::move(e))
                                         : StepResult::Fail(std::move(e));
}

Step::Step(std::string name, Handler handler) : handler_(std::move(handler)) {
  // Step names end up in idempotency tokens (EC2's ClientToken holds at most 64 characters).
  if (name.empty() || name.size() > 24) {
    throw std::invalid_argument("saga step name must have 1-24 characters: " + name);
  }
  if (!handler_) throw std::invalid_argument("saga step " + name + " needs a handler");
  spec_.name = std::move(name);
}

Step& Step::Compensate(Handler compensation) {
  compensation_ = std::move(compensation);
  spec_.compensable = static_cast<bool>(compensation_);
  return *this;
}
Step& Step::Persist(std::string key) {
  spec_.persist_key = std::move(key);
  return *this;
}
Step& Step::Async(ReplyHandler on_reply) {
  on_reply_ = std::move(on_reply);
  spec_.async = true;
  return *this;
}
Step& Step::Retry(RetryPolicy policy) {
  spec_.retry = policy;
  return *this;
}
Step& Step::CompensationRetry(RetryPolicy policy) {
  spec_.compensation_retry = policy;
  return *this;
}
Step& Step::Timeout(milliseconds timeout) {
  spec_.timeout = timeout;
  return *this;
}

Definition::Definition(std::string type) : type_(std::move(type)) {}

Definition& Definition::Push(Step step) {
  for (const Step& s : steps_) {
    if (s.spec().name == step.spec().name) {
      throw std::invalid_argument("saga " + type_ + " has two steps named " + s.spec().name);
    }
  }
  specs_.push_back(step.spec());
  steps_.push_back(std::move(step));
  return *this;
}

Definition& Definition::OnFinished(FinishedHandler handler) {
  on_finished_ = std::move(handler);
  return *this;
}

}  // namespace made0::saga
