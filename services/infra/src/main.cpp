// made0-infra: the seed's EC2Service. Networks and IPAM (made0/infra/network), instances through
// sagas (made0/infra/compute), on the `local` cloud (hostd) or on AWS EC2. docs/infra-api.md is
// its contract.
//
// Configuration (besides the runtime's common variables; `made0-infra --help-config` lists all):
//   MADE0_INFRA_REGIONS, MADE0_INFRA_BOOTSTRAP   regions and the network laid out at start
//   MADE0_INFRA_PROVIDER                         local (hostd, found in the registry) | aws
//   MADE0_INFRA_SAGA_WORKERS                     sagas driven at once by this process
//   MADE0_INFRA_WATCH_INTERVAL                   how often running instances are checked at
//                                                the provider (InstanceWatcher)
#include <csignal>
#include <cstring>

#include "fault_injection.hpp"
#include "made0/amqp/amqp_publisher.hpp"
#include "made0/amqp/consumer.hpp"
#include "made0/cloud/aws/aws_provider.hpp"
#include "made0/cloud/local_provider.hpp"
#include "made0/core/log.hpp"
#include "made0/http/client.hpp"
#include "made0/infra/compute/command_handlers.hpp"
#include "made0/infra/compute/compute_api.hpp"
#include "made0/infra/compute/instance_watcher.hpp"
#include "made0/infra/compute/migrations.hpp"
#include "made0/infra/network/bootstrap.hpp"
#include "made0/infra/network/network_api.hpp"
#include "made0/infra/network/pg_network_store.hpp"
#include "made0/outbox/relay.hpp"
#include "made0/runtime/amqp_tracing.hpp"
#include "made0/runtime/queue_metrics.hpp"
#include "made0/runtime/service.hpp"
#include "made0/runtime/service_client.hpp"

namespace {

using namespace made0;

constexpr const char* kSchema = "infra";

bool HelpConfig(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help-config") == 0) return true;
  }
  return false;
}

[[noreturn]] void Fatal(const Error& e) {
  log::Error("invalid configuration", {{"variable", e.field}, {"error", e.message}});
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  ProcessEnv env;
  runtime::ServiceRuntime rt("infra", env);
  auto& config = rt.config();
  auto regions = infra::network::ReadRegions(config);
  const std::string bootstrap_text =
      config.String(infra::network::kBootstrapVariable, infra::network::kDefaultBootstrap,
                    "VPCs and subnets laid out at start: <region>/<vpc>=<cidr>:<zone>/<prefix>,... "
                    "joined by ';' (empty: none)");
  const std::string provider_name =
      config.String("MADE0_INFRA_PROVIDER", "local", "cloud provider: local (hostd) or aws");
  const int workers =
      config.Int("MADE0_INFRA_SAGA_WORKERS", 4, 1, 64, "sagas this process drives at once");
  const std::string crash_text = config.String(
      "MADE0_INFRA_CRASH_AT", "",
      "fault injection for crash tests: <step>:<event kind>:<before|after> SIGKILLs the process "
      "at that saga transition");
  const auto lease = config.Duration(
      "MADE0_INFRA_SAGA_LEASE", std::chrono::seconds(5),
      "how long a saga stays claimed by an infra process that stopped renewing it (after a crash, "
      "another process resumes it then)");
  const int subnet_prefix = config.Int("MADE0_INFRA_SUBNET_PREFIX", 20, 16, 28,
                                       "prefix length of the per-zone subnets made on demand");
  const auto await_timeout = config.Duration("MADE0_INFRA_AWAIT_TIMEOUT", std::chrono::minutes(2),
                                             "how long a new instance may take to be running");
  const auto watch_interval =
      config.Duration("MADE0_INFRA_WATCH_INTERVAL", std::chrono::seconds(5),
                      "how often the saved running instances are compared with the provider's");
  const auto watch_grace = config.Duration(
      "MADE0_INFRA_WATCH_GRACE", std::chrono::minutes(1),
      "how long a saved instance the provider does not list may be young enough to be lagging");
  if (HelpConfig(argc, argv)) return rt.Run(argc, argv);

  if (!regions) Fatal(regions.error());
  auto bootstrap = infra::network::ParseBootstrap(bootstrap_text);
  if (!bootstrap) Fatal(bootstrap.error());
  auto crash_at = infra::ParseCrashPoint(crash_text);
  if (!crash_at) Fatal(crash_at.error());

  // The cloud.
  http::Client http_client;
  runtime::ServiceClient services(rt.discovery(), http_client, rt.spans(),
                                  {rt.service(), rt.instance_id()}, rt.random(), rt.clock());
  std::unique_ptr<cloud::Provider> provider;
  if (provider_name == "local") {
    provider = cloud::MakeLocalProvider(cloud::RegistryHostd(services));
  } else if (provider_name == "aws") {
    auto aws = cloud::aws::AwsConfig::FromEnv(env);
    if (!aws) Fatal(aws.error());
    provider = cloud::aws::NewAwsProvider(*aws);
  } else {
    Fatal(Error::Invalid("MADE0_INFRA_PROVIDER", "must be local or aws, not " + provider_name));
  }

  infra::network::PgNetworkStore network(rt.postgres(), *regions, rt.random(), kSchema);
  infra::compute::PgInstanceStore instances(rt.postgres(), kSchema);
  rt.AddStartupStep("infra-schema", [&] {
    return pg::ApplyMigrations(rt.postgres(), kSchema, infra::compute::InfraMigrations(kSchema));
  });
  rt.AddStartupStep("network-bootstrap",
                    [&] { return infra::network::ApplyBootstrap(network, *bootstrap); });

  amqp::AmqpPublisher publisher(rt.amqp_url());
  const amqp::QueueSpec reply_queue = infra::compute::ReplyQueueSpec();
  infra::compute::ComputeDeps deps{.network = network,
                                   .instances = instances,
                                   .provider = *provider,
                                   .publisher = publisher,
                                   .reply_queue = reply_queue.name,
                                   .subnet_prefix = subnet_prefix,
                                   .await_timeout = await_timeout};

  saga::EngineOptions engine_options{.owner = rt.instance_id(), .workers = workers, .lease = lease};
  if (*crash_at) {
    const infra::CrashPoint point = **crash_at;
    log::Warn("fault injection armed", {{"crash_at", crash_text}});
    engine_options.observer = [point](saga::WritePoint at, const std::string& saga_id,
                                      const std::string& step, const saga::LogEntry& entry) {
      if (!point.Matches(at, step, entry.kind)) return;
      log::Warn("fault injection: SIGKILL",
                {{"saga_id", saga_id}, {"step", step}, {"kind", entry.kind}});
      std::raise(SIGKILL);
    };
  }
  saga::Engine engine(rt.postgres(), kSchema, engine_options, rt.clock());
  engine.Register(infra::compute::CreateInstanceSaga(deps));
  engine.Register(infra::compute::TerminateInstanceSaga(deps));

  infra::network::NetworkApi network_api(network);
  network_api.AddRoutes(rt.router());
  infra::compute::ComputeApi compute_api(instances, engine, *regions);
  compute_api.AddRoutes(rt.router());

  outbox::Relay relay(rt.postgres(), publisher, kSchema);
  rt.AddWorker(
      "outbox-relay", [&] { relay.Start(); }, [&] { relay.Stop(); });
  rt.AddWorker(
      "saga-engine", [&] { engine.Start(); }, [&] { engine.Stop(); });
  infra::compute::InstanceWatcher watcher(instances, *provider, rt.clock(), rt.random(),
                                          {.interval = watch_interval, .grace = watch_grace});
  rt.AddWorker(
      "instance-watcher", [&] { watcher.Start(); }, [&] { watcher.Stop(); });

  const runtime::Identity identity{rt.service(), rt.instance_id()};
  infra::compute::CommandHandler commands(deps, engine);
  amqp::Consumer command_consumer(
      rt.amqp_url(), infra::compute::CommandQueueSpec(),
      runtime::TracedHandler(identity, rt.spans(), rt.random(), rt.clock(),
                             [&](const amqp::Delivery& d) { return commands(d); }));
  amqp::Consumer reply_consumer(
      rt.amqp_url(), reply_queue,
      runtime::TracedHandler(
          identity, rt.spans(), rt.random(), rt.clock(),
          [&](const amqp::Delivery& d) { return infra::compute::HandleReply(engine, d); }));
  rt.AddWorker(
      "command-consumer", [&] { (void)command_consumer.Start(); },
      [&] { command_consumer.Stop(); });
  rt.AddWorker(
      "reply-consumer", [&] { (void)reply_consumer.Start(); }, [&] { reply_consumer.Stop(); });
  runtime::AddQueueMetrics(rt.metrics(), rt.amqp_url(), infra::compute::kCommandsQueue);
  rt.AddReadinessCheck("rabbitmq", [&]() -> Status {
    if (command_consumer.Ready() && reply_consumer.Ready()) return Status::Ok();
    return Error::Unavailable("not connected to RabbitMQ");
  });
  rt.metrics().AddCollector([&engine](runtime::Metrics& m) {
    const saga::EngineStats s = engine.Stats();
    m.SetGauge("made0_saga_transitions", {}, static_cast<double>(s.transitions));
    m.SetGauge("made0_saga_lost_claims", {}, static_cast<double>(s.lost_claims));
  });
  return rt.Run(argc, argv);
}
