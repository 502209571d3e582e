#pragma once
// Definition: a saga type, built like the seed's SagaBuilder from named steps.
//
//   saga::Definition def("CreateInstance");
//   def.Push(saga::Step("cluster", ResolveCluster).Async())          // sends a command, waits
//      .Push(saga::Step("subnet", AllocateAddress).Compensate(ReleaseAddress).Persist("subnetId"))
//      .Push(saga::Step("runInstance", Run).Compensate(Terminate).Persist("instanceId"))
//      .Push(saga::Step("awaitInstance", AwaitRunning).Timeout(std::chrono::minutes(2)))
//      .OnFinished(Reply);
//
// A handler gets a StepContext (the saga's input, the data persisted by earlier steps, a stable
// idempotency token) and returns a StepResult. Handlers run at least once per success and must be
// idempotent through ctx.idempotency_token; compensations must accept "nothing to undo".

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"
#include "made0/saga/machine.hpp"

namespace made0::saga {

struct StepContext {
  std::string saga_id;
  std::string saga_type;
  std::string step;
  int attempt = 1;
  bool compensation = false;
  std::string idempotency_token;  // saga ID + step (+ ":undo"): the same on every attempt
  std::string correlation_id;     // async steps: put it on the command; the reply must carry it
  const nlohmann::json& input;
  const nlohmann::json& data;  // values persisted by earlier steps, by key
};

class StepResult {
 public:
  enum class Kind { kDone, kSent, kRetry, kFail, kPoll };

  // Done: the step succeeded; output is persisted under the step's Persist key, if any.
  static StepResult Done(nlohmann::json output = nullptr) {
    return StepResult(Kind::kDone, std::move(output), {}, milliseconds(0));
  }
  // Sent: an async step sent its command; the saga waits for the reply.
  static StepResult Sent() { return StepResult(Kind::kSent, nullptr, {}, milliseconds(0)); }
  // Retry: a transient failure; the attempt is retried with backoff up to the retry limit.
  static StepResult Retry(Error e) { return StepResult(Kind::kRetry, nullptr, std::move(e), {}); }
  // Fail: the step cannot succeed; compensation starts.
  static StepResult Fail(Error e) { return StepResult(Kind::kFail, nullptr, std::move(e), {}); }
  // PollAfter: not finished yet (an instance still pending); run again after `after`, until the
  // step's timeout. Polls do not count as attempts.
  static StepResult PollAfter(milliseconds after) {
    return StepResult(Kind::kPoll, nullptr, {}, after);
  }
  // FromError: Retry for transient errors (kUnavailable, kRateLimited), Fail for the others.
  static StepResult FromError(Error e);

  Kind kind() const { return kind_; }
  const nlohmann::json& output() const { return output_; }
  const Error& error() const { return error_; }
  milliseconds poll_after() const { return poll_after_; }

 private:
  StepResult(Kind k, nlohmann::json output, Error e, milliseconds after)
      : kind_(k), output_(std::move(output)), error_(std::move(e)), poll_after_(after) {}
  Kind kind_;
  nlohmann::json output_;
  Error error_;
  milliseconds poll_after_;
};

using Handler = std::function<StepResult(const StepContext&)>;
using ReplyHandler = std::function<StepResult(const StepContext&, const nlohmann::json& reply)>;

// DefaultReply reads the reply convention of made0's commands:
//   {"ok": true, "result": ...}  or  {"ok": false, "error": {"code", "message"}, "retryable": b}
StepResult DefaultReply(const StepContext& ctx, const nlohmann::json& reply);

class Step {
 public:
  Step(std::string name, Handler handler);

  Step& Compensate(Handler compensation);
  Step& Persist(std::string key);
  // Async: the handler sends a command carrying ctx.correlation_id and returns Sent(); the reply,
  // delivered to Engine::DeliverReply, is turned into the step's outcome by on_reply.
  Step& Async(ReplyHandler on_reply = DefaultReply);
  Step& Retry(RetryPolicy policy);
  Step& CompensationRetry(RetryPolicy policy);
  Step& Timeout(milliseconds timeout);

  const StepSpec& spec() const { return spec_; }
  const Handler& handler() const { return handler_; }
  const Handler& compensation() const { return compensation_; }
  const ReplyHandler& on_reply() const { return on_reply_; }

 private:
  StepSpec spec_;
  Handler handler_;
  Handler compensation_;
  ReplyHandler on_reply_;
};

// FinishedSaga is what on_finished sees: how the saga ended and what it persisted.
struct FinishedSaga {
  std::string id;
  std::string type;
  SagaStatus status;
  const nlohmann::json& input;
  const nlohmann::json& data;
  std::string error;  // why it compensated (or why compensation failed)
};
using FinishedHandler = std::function<Status(const FinishedSaga&)>;

class Definition {
 public:
  explicit Definition(std::string type);

  Definition& Push(Step step);
  // OnFinished runs at least once after the saga completes, compensates or fails to compensate
  // (to reply to the caller, publish an event); a non-ok Status makes it run again later.
  Definition& OnFinished(FinishedHandler handler);

  const std::string& type() const { return type_; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::vector<StepSpec>& specs() const { return specs_; }
  const FinishedHandler& on_finished() const { return on_finished_; }

 private:
  std::string type_;
  std::vector<Step> steps_;
  std::vector<StepSpec> specs_;
  FinishedHandler on_finished_;
};

}  // namespace made0::saga
