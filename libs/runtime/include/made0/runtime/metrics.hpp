#pragma once
// Metrics: the Prometheus registry of one process and the families every service shares.
// Served as text on GET /metrics by the runtime.
//
//   Metrics m("users");
//   m.ObserveHttp("POST", "/v1/users", 202, 0.031);
//   m.SetGauge("made0_queue_depth", {{"queue", "verification.user-events"}}, 3);
//   std::string text = m.Serialize();

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace made0::runtime {

class Metrics {
 public:
  explicit Metrics(std::string service);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // ObserveHttp counts a request (made0_http_requests_total) and its latency
  // (made0_http_request_duration_seconds), labelled by method, route pattern and status.
  void ObserveHttp(const std::string& method, const std::string& route, int status, double seconds);
  // SetGauge sets one gauge series of a family created on first use (made0_* names).
  void SetGauge(const std::string& family, const std::map<std::string, std::string>& labels,
                double value);
  // Increment adds to one counter series of a family created on first use.
  void Increment(const std::string& family, const std::map<std::string, std::string>& labels,
                 double by = 1);

  // AddCollector registers a callback run at every scrape, before serialising, for values that
  // are read rather than counted (queue depths, outbox backlog).
  void AddCollector(std::function<void(Metrics&)> collector);

  // Serialize runs the collectors and renders the Prometheus text format.
  std::string Serialize();
  prometheus::Registry& registry();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::runtime
