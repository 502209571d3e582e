#pragma once
// Topology declarations on an open Connection, shared by the publisher, the consumer and the
// one-shot functions of made0/amqp/topology.hpp.

#include "connection.hpp"
#include "made0/amqp/topology.hpp"

namespace made0::amqp::internal {

// DeclareExchanges declares made0.events (topic) and made0.commands (direct), durable.
Status DeclareExchanges(Connection& conn);

// DeclareQueues declares spec's queue, its retry and dead queues, and its bindings (and the
// exchanges). The spec must be valid (ValidateQueueSpec).
Status DeclareQueues(Connection& conn, const QueueSpec& spec);

}  // namespace made0::amqp::internal
