#include "made0/infra/compute/command_handlers.hpp"

#include "made0/core/log.hpp"

namespace made0::infra::compute {

amqp::QueueSpec CommandQueueSpec() {
  return {.name = kCommandsQueue,
          .exchange = amqp::kCommandsExchange,
          .routing_keys = {kCreateInstanceKey, kTerminateInstanceKey, kEnsureClusterKey}};
}

amqp::QueueSpec ReplyQueueSpec(std::string name) {
  return {.name = std::move(name), .exchange = "", .routing_keys = {}};
}

amqp::HandlerResult CommandHandler::operator()(const amqp::Delivery& d) {
  const nlohmann::json body = nlohmann::json::parse(d.message.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    (void)Reply(d, ErrorReply(Error::Malformed("the command body is not a JSON object")));
    return {amqp::HandlerResult::kReject, "malformed body"};
  }
  const std::string& key = d.message.routing_key;
  if (key == kCreateInstanceKey) {
    return StartSaga(d, kCreateInstance, ValidateCreateInstance(body, deps_.network.Regions()));
  }
  if (key == kTerminateInstanceKey) {
    return StartSaga(d, kTerminateInstance, ValidateTerminateInstance(body));
  }
  if (key == kEnsureClusterKey) return Reply(d, EnsureCluster(deps_, body));
  return {amqp::HandlerResult::kReject, "unknown command " + key};
}

amqp::HandlerResult CommandHandler::StartSaga(const amqp::Delivery& d, const char* type,
                                              Result<nlohmann::json> input) {
  if (!input) {
    (void)Reply(d, ErrorReply(input.error()));
    return amqp::HandlerResult::kAck;  // answered: an invalid command is the caller's to fix
  }
  (*input)["reply_to"] = d.message.reply_to;
  (*input)["correlation_id"] = d.message.correlation_id;
  auto id = engine_.StartSaga(type, std::move(*input), SagaIdFor(d.message.message_id));
  if (!id) return {amqp::HandlerResult::kReject, id.error().message};
  log::Info("saga started by command",
            {{"saga_id", *id}, {"type", type}, {"message_id", d.message.message_id}});
  return amqp::HandlerResult::kAck;
}

amqp::HandlerResult CommandHandler::Reply(const amqp::Delivery& d, const nlohmann::json& body) {
  if (d.message.reply_to.empty()) return amqp::HandlerResult::kAck;
  amqp::Message reply;
  reply.exchange = "";
  reply.routing_key = d.message.reply_to;
  reply.message_id = d.message.message_id + ":reply";
  reply.correlation_id = d.message.correlation_id;
  reply.type = d.message.type + "Reply";
  reply.body = body.dump();
  Status st = deps_.publisher.Publish(reply);
  if (st || amqp::IsUnroutable(st.error())) return amqp::HandlerResult::kAck;
  return {amqp::HandlerResult::kRetry, st.error().message};
}

amqp::HandlerResult HandleReply(saga::Engine& engine, const amqp::Delivery& d) {
  const nlohmann::json body = nlohmann::json::parse(d.message.body, nullptr, false);
  if (body.is_discarded()) return {amqp::HandlerResult::kReject, "reply is not JSON"};
  if (!engine.DeliverReply(d.message.correlation_id, body)) {
    log::Info("reply matched no waiting saga (late or duplicate)",
              {{"correlation_id", d.message.correlation_id}});
  }
  return amqp::HandlerResult::kAck;
}

}  // namespace made0::infra::compute
