#include "made0/runtime/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>

namespace made0::runtime {

struct Metrics::State {
  std::string service;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>* requests = nullptr;
  prometheus::Family<prometheus::Histogram>* latency = nullptr;
  std::mutex mu;  // guards the two maps below (families created on first use)
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges;
  std::map<std::string, prometheus::Family<prometheus::Counter>*> counters;
  std::vector<std::function<void(Metrics&)>> collectors;
};

Metrics::Metrics(std::string service) : state_(std::make_unique<State>()) {
  state_->service = std::move(service);
  state_->requests = &prometheus::BuildCounter()
                          .Name("made0_http_requests_total")
                          .Help("HTTP requests served, by method, route and status")
                          .Labels({{"service", state_->service}})
                          .Register(*state_->registry);
  state_->latency = &prometheus::BuildHistogram()
                         .Name("made0_http_request_duration_seconds")
                         .Help("HTTP request latency, by method and route")
                         .Labels({{"service", state_->service}})
                         .Register(*state_->registry);
}

Metrics::~Metrics() = default;

void Metrics::ObserveHttp(const std::string& method, const std::string& route, int status,
                          double seconds) {
  const std::string r = route.empty() ? "unmatched" : route;
  state_->requests->Add({{"method", method}, {"route", r}, {"status", std::to_string(status)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  state_->latency->Add({{"method", method}, {"route", r}}, kBuckets).Observe(seconds);
}

void Metrics::SetGauge(const std::string& family, const std::map<std::string, std::string>& labels,
                       double value) {
  prometheus::Family<prometheus::Gauge>* f;
  {
    std::lock_guard lock(state_->mu);
    auto& slot = state_->gauges[family];
    if (slot == nullptr) {
      slot = &prometheus::BuildGauge()
                  .Name(family)
                  .Help(family)
                  .Labels({{"service", state_->service}})
                  .Register(*state_->registry);
    }
    f = slot;
  }
  f->Add(labels).Set(value);
}

void Metrics::Increment(const std::string& family, const std::map<std::string, std::string>& labels,
                        double by) {
  prometheus::Family<prometheus::Counter>* f;
  {
    std::lock_guard lock(state_->mu);
    auto& slot = state_->counters[family];
    if (slot == nullptr) {
      slot = &prometheus::BuildCounter()
                  .Name(family)
                  .Help(family)
                  .Labels({{"service", state_->service}})
                  .Register(*state_->registry);
    }
    f = slot;
  }
  f->Add(labels).Increment(by);
}

void Metrics::AddCollector(std::function<void(Metrics&)> collector) {
  std::lock_guard lock(state_->mu);
  state_->collectors.push_back(std::move(collector));
}

std::string Metrics::Serialize() {
  std::vector<std::function<void(Metrics&)>> collectors;
  {
    std::lock_guard lock(state_->mu);
    collectors = state_->collectors;
  }
  for (const auto& c : collectors) c(*this);
  return prometheus::TextSerializer().Serialize(state_->registry->Collect());
}

prometheus::Registry& Metrics::registry() { return *state_->registry; }

}  // namespace made0::runtime
