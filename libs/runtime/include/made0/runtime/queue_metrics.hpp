#pragma once
// Queue depths for /metrics: made0_queue_messages and made0_queue_consumers for a consumer's
// queue and its .retry and .dead companions, read from the broker at each scrape.
//
//   AddQueueMetrics(rt.metrics(), rt.amqp_url(), "verification.sign-ups");

#include <string>

#include "made0/runtime/metrics.hpp"

namespace made0::runtime {

void AddQueueMetrics(Metrics& metrics, std::string amqp_url, std::string queue);

}  // namespace made0::runtime
