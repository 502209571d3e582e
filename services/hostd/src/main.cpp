// made0-hostd: the local cloud agent. See made0/hostd/local_cloud.hpp for the model and
// made0/hostd/cloud_api.hpp for the API.
//
// Configuration (besides the runtime's common variables; `made0-hostd --help-config` lists all):
//   MADE0_HOSTD_DATA_DIR            state and instance directories (.data/hostd)
//   MADE0_HOSTD_ZONES               availability zones; a region is an AZ without its last letter
//   MADE0_HOSTD_IMAGES              JSON file adding or replacing catalog images (none)
//   MADE0_HOSTD_RECONCILE_INTERVAL  how often instances are observed (200ms)
//   MADE0_HOSTD_TERMINATE_GRACE     SIGTERM to SIGKILL on terminate (10s)
//   MADE0_HOSTD_START_TIMEOUT       pending instance whose endpoints stay closed is killed (60s)
//   MADE0_HOSTD_TERMINATED_TTL      how long a terminated instance is still described (1h)
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "made0/core/log.hpp"
#include "made0/hostd/cloud_api.hpp"
#include "made0/hostd/local_cloud.hpp"
#include "made0/runtime/service.hpp"

namespace {

using namespace made0;

Result<hostd::Catalog> LoadCatalog(const std::string& path) {
  hostd::Catalog catalog = hostd::DefaultCatalog();
  if (path.empty()) return catalog;
  std::ifstream in(path);
  if (!in) return Error::Invalid("MADE0_HOSTD_IMAGES", "cannot read image catalog " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error::Invalid("MADE0_HOSTD_IMAGES", path + " is not JSON");
  auto extra = hostd::ParseCatalog(doc);
  if (!extra) {
    return Error::Invalid("MADE0_HOSTD_IMAGES",
                          path + ": " + extra.error().field + ": " + extra.error().message);
  }
  return hostd::Merge(std::move(catalog), *extra);
}

bool HelpConfig(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help-config") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  ProcessEnv env;
  runtime::ServiceRuntime rt("hostd", env);
  auto& config = rt.config();
  const std::string data_dir = config.String(
      "MADE0_HOSTD_DATA_DIR", ".data/hostd",
      "hostd's state (JSON records) and instance directories; instances outlive hostd");
  const std::string zones_text =
      config.String("MADE0_HOSTD_ZONES", std::string(hostd::kDefaultZones),
                    "availability zones (comma-separated); each one's region is its name without "
                    "the last letter");
  const std::string images_file = config.String(
      "MADE0_HOSTD_IMAGES", "", "JSON image catalog adding to or replacing the built-in images");
  hostd::CloudOptions options;
  options.reconcile_interval =
      config.Duration("MADE0_HOSTD_RECONCILE_INTERVAL", options.reconcile_interval,
                      "how often every instance's process is observed");
  options.terminate_grace = config.Duration("MADE0_HOSTD_TERMINATE_GRACE", options.terminate_grace,
                                            "on terminate, how long after SIGTERM comes SIGKILL");
  options.start_timeout =
      config.Duration("MADE0_HOSTD_START_TIMEOUT", options.start_timeout,
                      "a pending instance whose endpoints stay closed this long is killed");
  options.terminated_ttl = config.Duration("MADE0_HOSTD_TERMINATED_TTL", options.terminated_ttl,
                                           "how long a terminated instance is still described");
  if (HelpConfig(argc, argv)) return rt.Run(argc, argv);

  auto zones = hostd::ParseZones(zones_text);
  auto catalog = LoadCatalog(images_file);
  for (const Error* e : {zones ? nullptr : &zones.error(), catalog ? nullptr : &catalog.error()}) {
    if (e == nullptr) continue;
    log::Error("invalid configuration", {{"variable", e->field}, {"error", e->message}});
    return 2;
  }
  std::error_code ec;
  options.data_dir = std::filesystem::absolute(data_dir, ec).lexically_normal().string();
  options.zones = *zones;
  options.catalog = *catalog;
  options.exe_dir = hostd::ExecutableDir();
  const char* path = std::getenv("PATH");
  options.path_env = path ? path : "/usr/local/bin:/usr/bin:/bin";

  hostd::StateStore store(options.data_dir);
  hostd::PosixProcessControl processes;
  hostd::LocalCloud cloud(options, store, processes, rt.random(), rt.clock());
  if (Status s = cloud.Load(); !s) {
    log::Error("cannot load state", {{"data_dir", options.data_dir}, {"error", s.error().message}});
    return 1;
  }
  hostd::CloudApi api(cloud);
  api.AddRoutes(rt.router());
  rt.metrics().AddCollector([&cloud](runtime::Metrics& m) {
    m.SetGauge("made0_hostd_live_instances", {}, static_cast<double>(cloud.LiveInstances()));
  });
  // The loop runs from now on, independently of Postgres and Redis: instances are watched even
  // while the runtime waits for its dependencies.
  cloud.Start();
  const int code = rt.Run(argc, argv);
  cloud.Stop();  // the instances keep running; the next hostd adopts them
  return code;
}
