#pragma once
// The AMQP side of the infra service: the command consumer (infra.commands: CreateInstance,
// TerminateInstance, EnsureCluster on made0.commands) and the reply consumer of its sagas'
// asynchronous steps (infra.replies).
//
//   CommandHandler commands(deps, engine);
//   amqp::Consumer c(url, CommandQueueSpec(), [&](const amqp::Delivery& d) { return commands(d);
//   });
//
// Starting a saga is idempotent (its ID derives from the command's message_id), EnsureCluster is
// get-or-create, and a delivered reply is matched by correlation ID once: a redelivered message
// never has a second effect.

#include "made0/amqp/consumer.hpp"
#include "made0/infra/compute/sagas.hpp"
#include "made0/saga/engine.hpp"

namespace made0::infra::compute {

amqp::QueueSpec CommandQueueSpec();
amqp::QueueSpec ReplyQueueSpec(std::string name = "infra.replies");

class CommandHandler {
 public:
  CommandHandler(ComputeDeps& deps, saga::Engine& engine) : deps_(deps), engine_(engine) {}
  amqp::HandlerResult operator()(const amqp::Delivery& d);

 private:
  amqp::HandlerResult StartSaga(const amqp::Delivery& d, const char* type,
                                Result<nlohmann::json> input);
  amqp::HandlerResult Reply(const amqp::Delivery& d, const nlohmann::json& body);

  ComputeDeps& deps_;
  saga::Engine& engine_;
};

// ReplyHandler hands a reply to the saga waiting for its correlation ID.
amqp::HandlerResult HandleReply(saga::Engine& engine, const amqp::Delivery& d);

}  // namespace made0::infra::compute
