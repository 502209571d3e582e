#include "registry_endpoint.hpp"

#include <map>
#include <set>

#include "made0/redis/client.hpp"
#include "made0/redis/discovery.hpp"

namespace made0::ctl {
namespace {

constexpr std::string_view kService = "infra";

class RegistryEndpoint final : public Endpoint {
 public:
  RegistryEndpoint(redis::ClientOptions options, std::string source)
      : registry_(options.url.ToString()),
        source_(std::move(source)),
        where_(registry_ + " (" + source_ + ")"),
        redis_(redis::MakeClient(std::move(options))),
        discovery_(*redis_) {}

  // Endpoint
  Result<std::string> BaseUrl() override {
    if (!current_.empty()) return current_;
    auto live = discovery_.Live(kService);
    if (!live) {
      return Error::Unavailable("cannot read the service registry at " + where_ + ": " +
                                live.error().message + "; is the stack running (scripts/up.sh)?");
    }
    for (const redis::Instance& instance : *live) {
      if (tried_.contains(instance.id)) continue;
      current_ = "http://" + instance.address + ":" + std::to_string(instance.port);
      ids_[current_] = instance.id;
      return current_;
    }
    return Error::Unavailable(
        std::string(tried_.empty() ? "no live infra instance" : "no other live infra instance") +
        " in the registry at " + where_ +
        "; is infra running (scripts/up.sh)? or pass --server URL");
  }

  bool Unreachable(const std::string& base_url) override {
    const auto it = ids_.find(base_url);
    if (it == ids_.end()) return false;
    tried_.insert(it->second);
    if (current_ == base_url) current_.clear();
    return true;
  }

  std::string Where(const std::string& base_url) const override {
    const auto it = ids_.find(base_url);
    const std::string id = it == ids_.end() ? "an instance" : "instance " + it->second;
    return base_url + " (" + id + " in the registry at " + registry_ + ", from " + source_ + ")";
  }

 private:
  std::string registry_;  // the Redis URL, password masked
  std::string source_;    // where that URL came from
  std::string where_;
  std::unique_ptr<redis::Client> redis_;
  redis::Discovery discovery_;
  std::string current_;                     // the instance in use, until it refuses a connection
  std::set<std::string> tried_;             // instance IDs that refused
  std::map<std::string, std::string> ids_;  // base URL -> instance ID
};

}  // namespace

Result<std::unique_ptr<Endpoint>> MakeRegistryEndpoint(const std::string& redis_url,
                                                       const std::string& source) {
  auto options = redis::ParseClientOptions(redis_url);
  if (!options) {
    return Error::Invalid("MADE0_REDIS_URL", "cannot use " + source + " \"" + redis_url +
                                                 "\": " + options.error().message);
  }
  return std::unique_ptr<Endpoint>(std::make_unique<RegistryEndpoint>(std::move(*options), source));
}

}  // namespace made0::ctl
