#include "made0/runtime/queue_metrics.hpp"

#include "made0/amqp/topology.hpp"

namespace made0::runtime {

void AddQueueMetrics(Metrics& metrics, std::string amqp_url, std::string queue) {
  metrics.AddCollector([url = std::move(amqp_url), queue = std::move(queue)](Metrics& m) {
    for (const std::string& q : {queue, amqp::RetryQueueName(queue), amqp::DeadQueueName(queue)}) {
      auto stats = amqp::QueueDepth(url, q, std::chrono::seconds(2));
      if (!stats) continue;  // broker down or queue not declared yet: no sample this scrape
      m.SetGauge("made0_queue_messages", {{"queue", q}}, static_cast<double>(stats->messages));
      m.SetGauge("made0_queue_consumers", {{"queue", q}}, static_cast<double>(stats->consumers));
    }
  });
}

}  // namespace made0::runtime
