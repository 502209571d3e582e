#include "made0/hostd/local_cloud.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "made0/cloud/local_wire.hpp"
#include "made0/core/log.hpp"
#include "made0/hostd/ids.hpp"
#include "made0/hostd/launch_plan.hpp"
#include "made0/hostd/validation.hpp"
#include "made0/ipam/allocator.hpp"

namespace made0::hostd {
namespace {

namespace fs = std::filesystem;
namespace wire = cloud::wire;
using cloud::InstanceState;

constexpr const char* kZonesFile = "zones";
constexpr const char* kBasePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Error InstanceNotFound(const std::string& id) {
  return Error::NotFound("InvalidInstanceID.NotFound: the instance ID '" + id + "' does not exist");
}

}  // namespace

LocalCloud::LocalCloud(CloudOptions options, StateStore& store, ProcessControl& processes,
                       Random& rng, const Clock& clock)
    : options_(std::move(options)),
      store_(store),
      processes_(processes),
      rng_(rng),
      clock_(clock),
      loop_("reconcile", options_.reconcile_interval, [this] { ReconcileOnce(); }) {}

LocalCloud::~LocalCloud() { Stop(); }

std::string LocalCloud::InstanceDir(const std::string& id) const {
  return options_.data_dir + "/instances/" + id;
}

Status LocalCloud::SaveInstance(const InstanceRecord& r) {
  return store_.Save(r.instance.id, ToStored(r));
}

Status LocalCloud::SaveZones() {
  return store_.Save(kZonesFile, {{"kind", "zones"}, {"down", zones_down_}});
}

// --- Loading and adoption -------------------------------------------------------------------

Status LocalCloud::Load() {
  if (Status s = store_.Open(); !s) return s;
  auto docs = store_.LoadAll();
  if (!docs) return docs.error();
  std::lock_guard lock(mu_);
  for (const auto& doc : *docs) {
    const std::string kind = doc.is_object() ? doc.value("kind", "") : "";
    Status loaded = Status::Ok();
    if (kind == "vpc") {
      auto r = VpcFromStored(doc);
      if (!r) loaded = r.error();
      if (r) {
        tokens_.Remember("vpc", r->origin.token, r->origin.fingerprint, r->vpc.id);
        vpcs_[r->vpc.id] = std::move(*r);
      }
    } else if (kind == "subnet") {
      auto r = SubnetFromStored(doc);
      if (!r) loaded = r.error();
      if (r) {
        tokens_.Remember("subnet", r->origin.token, r->origin.fingerprint, r->subnet.id);
        subnets_[r->subnet.id] = std::move(*r);
      }
    } else if (kind == "security_group") {
      auto r = SecurityGroupFromStored(doc);
      if (!r) loaded = r.error();
      if (r) {
        tokens_.Remember("security_group", r->origin.token, r->origin.fingerprint, r->group.id);
        groups_[r->group.id] = std::move(*r);
      }
    } else if (kind == "instance") {
      auto r = InstanceFromStored(doc);
      if (!r) loaded = r.error();
      if (r) {
        tokens_.Remember("instance", r->origin.token, r->origin.fingerprint, r->instance.id);
        instances_[r->instance.id] = std::move(*r);
      }
    } else if (kind == "zones") {
      if (doc.contains("down") && doc["down"].is_array()) {
        for (const auto& az : doc["down"]) {
          if (az.is_string()) zones_down_.insert(az.get<std::string>());
        }
      }
    } else {
      loaded = Error::Internal("unknown record kind \"" + kind + "\"");
    }
    if (!loaded) log::Warn("skipping a stored record", {{"error", loaded.error().message}});
  }
  for (auto& [id, r] : instances_) {
    if (IsLive(r.instance.state)) Adopt(r);
  }
  log::Info("state loaded", {{"vpcs", vpcs_.size()},
                             {"subnets", subnets_.size()},
                             {"security_groups", groups_.size()},
                             {"instances", instances_.size()},
                             {"zones_down", zones_down_}});
  return Status::Ok();
}

void LocalCloud::Adopt(InstanceRecord& r) {
  const std::string& id = r.instance.id;
  if (r.process.pid == 0) {
    // hostd stopped between recording the instance and recording its process: find the process
    // by the marker in its environment, or start it now.
    const std::string marker = std::string(kInstanceMarker) + "=" + id;
    if (auto found = processes_.FindByEnv(marker)) {
      r.process = *found;
      (void)SaveInstance(r);
    } else if (Status s = Launch(r); !s) {
      r.instance.state = InstanceState::kTerminated;
      r.instance.state_reason = "Server.LaunchFailed: " + s.error().message;
      r.terminated_at = clock_.Now();
      (void)SaveInstance(r);
      return;
    }
  }
  if (!processes_.Alive(r.process)) {
    log::Info("instance gone while hostd was down", {{"instance", id}});
    (void)Apply(r, Event::kProcessGone);
    return;
  }
  if (zones_down_.count(r.instance.az)) {
    (void)Apply(r, Event::kAzDown);
    return;
  }
  log::Info(
      "instance adopted",
      {{"instance", id}, {"pid", r.process.pid}, {"state", cloud::ToString(r.instance.state)}});
}

// --- The reconcile loop ---------------------------------------------------------------------

void LocalCloud::Start() { loop_.Start(); }

void LocalCloud::Stop() { loop_.Stop(); }

void LocalCloud::ReconcileOnce() {
  std::lock_guard lock(mu_);
  const SystemTime now = clock_.Now();
  for (auto& [id, r] : instances_) {
    if (!IsLive(r.instance.state) || r.process.pid == 0) continue;
    Status st = Status::Ok();
    if (!processes_.Alive(r.process)) {
      st = Apply(r, Event::kProcessGone);
    } else if (r.instance.state == InstanceState::kPending) {
      const bool ready = std::all_of(r.ports.begin(), r.ports.end(), [this](const auto& p) {
        return processes_.PortAccepts(p.second);
      });
      if (ready) {
        st = Apply(r, Event::kEndpointsReady);
      } else if (now - r.instance.launch_time > options_.start_timeout) {
        st = Apply(r, Event::kStartTimedOut);
      }
    } else if (r.instance.state == InstanceState::kShuttingDown && r.shutdown_requested_at &&
               now - *r.shutdown_requested_at >= options_.terminate_grace) {
      st = Apply(r, Event::kGraceExpired);
    }
    if (!st) log::Warn("cannot save instance", {{"instance", id}, {"error", st.error().message}});
  }
  CollectGarbage();
}

void LocalCloud::CollectGarbage() {
  const SystemTime now = clock_.Now();
  for (auto it = instances_.begin(); it != instances_.end();) {
    const InstanceRecord& r = it->second;
    if (r.instance.state != InstanceState::kTerminated || !r.terminated_at ||
        now - *r.terminated_at < options_.terminated_ttl) {
      ++it;
      continue;
    }
    if (Status s = store_.Remove(r.instance.id); !s) {
      ++it;
      continue;
    }
    std::error_code ec;
    fs::remove_all(InstanceDir(r.instance.id), ec);
    tokens_.Forget("instance", r.origin.token);
    log::Info("terminated instance expired", {{"instance", r.instance.id}});
    it = instances_.erase(it);
  }
}

Status LocalCloud::Apply(InstanceRecord& r, Event event) {
  const Transition t = Decide(r.instance.state, event);
  if (t.signal == Signal::kTerm) processes_.Signal(r.process, SIGTERM);
  if (t.signal == Signal::kKill) processes_.Signal(r.process, SIGKILL);
  const bool reason_changed = !t.reason.empty() && t.reason != r.instance.state_reason;
  if (!t.changed && !reason_changed) return Status::Ok();
  if (t.changed) {
    log::Info("instance state", {{"instance", r.instance.id},
                                 {"from", cloud::ToString(r.instance.state)},
                                 {"to", cloud::ToString(t.next)},
                                 {"event", ToString(event)}});
    r.instance.state = t.next;
    if (t.next == InstanceState::kShuttingDown) r.shutdown_requested_at = clock_.Now();
    if (t.next == InstanceState::kTerminated) r.terminated_at = clock_.Now();
  }
  if (!t.reason.empty()) r.instance.state_reason = std::string(t.reason);
  return SaveInstance(r);
}

std::size_t LocalCloud::LiveInstances() const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count_if(instances_.begin(), instances_.end(), [](auto& p) {
    return IsLive(p.second.instance.state);
  }));
}

// --- Instances ------------------------------------------------------------------------------

std::set<int> LocalCloud::PortsInUse() const {
  std::set<int> used;
  for (const auto& [id, r] : instances_) {
    if (!IsLive(r.instance.state)) continue;
    for (const auto& [name, port] : r.ports) used.insert(port);
  }
  return used;
}

Result<std::map<std::string, int>> LocalCloud::AllocatePorts(
    const Image& image, const std::map<std::string, int>& pinned) {
  std::set<int> used = PortsInUse();
  std::map<std::string, int> ports;
  for (const auto& [name, port] : pinned) {
    if (!used.insert(port).second) {
      return Error{ErrorCode::kConflict,
                   "port " + std::to_string(port) + " is used by another instance",
                   "user_data.ports." + name};
    }
    ports[name] = port;
  }
  for (const auto& name : image.endpoints) {
    if (ports.count(name)) continue;
    for (int attempt = 0; attempt < 50 && !ports.count(name); ++attempt) {
      auto port = processes_.FreePort();
      if (!port) return port.error();
      if (used.insert(*port).second) ports[name] = *port;
    }
    if (!ports.count(name)) return Error::Unavailable("no free port for endpoint " + name);
  }
  return ports;
}

Status LocalCloud::Launch(InstanceRecord& r) {
  const std::string& id = r.instance.id;
  auto image = options_.catalog.find(r.instance.image);
  if (image == options_.catalog.end()) {
    return Error::Invalid("image", "InvalidAMIID.NotFound: no image " + r.instance.image);
  }
  auto binary = ResolveBinary(image->second.binary, options_.exe_dir, options_.path_env,
                              [](const std::string& p) { return ::access(p.c_str(), X_OK) == 0; });
  if (!binary) {
    return Error::Invalid("image", "InvalidAMIID.Unavailable: " + binary.error().message);
  }
  auto user = ParseUserData(r.user_data, image->second);
  if (!user) return user.error();
  const std::string dir = InstanceDir(id);
  std::error_code ec;
  fs::create_directories(dir + "/data", ec);
  if (ec) return Error::Internal("cannot create " + dir + ": " + ec.message());

  TemplateVars vars{{"instance_id", id},
                    {"private_ip", r.instance.private_ip},
                    {"name", r.instance.tags.count("Name") ? r.instance.tags.at("Name") : id},
                    {"region", r.instance.region},
                    {"az", r.instance.az},
                    {"instance_dir", dir},
                    {"data_dir", dir + "/data"}};
  for (const auto& [name, port] : r.ports) vars["port." + name] = std::to_string(port);
  auto plan = PlanLaunch(image->second, *binary, *user, vars, {{"PATH", kBasePath}, {"HOME", dir}});
  if (!plan) return plan.error();
  const std::string marker = std::string(kInstanceMarker) + "=";
  std::erase_if(plan->env, [&](const std::string& e) { return e.rfind(marker, 0) == 0; });
  plan->env.push_back(marker + id);

  auto process = processes_.Spawn({plan->argv, plan->env, dir, dir + "/instance.log"});
  if (!process) return process.error();
  r.process = *process;
  log::Info("instance started", {{"instance", id},
                                 {"image", r.instance.image},
                                 {"pid", r.process.pid},
                                 {"endpoints", r.instance.endpoints}});
  (void)Apply(r, Event::kSpawned);
  return SaveInstance(r);
}

Result<Created<cloud::Instance>> LocalCloud::RunInstance(const cloud::RunInstanceSpec& spec) {
  if (Status s = ValidateRunInstanceSpec(spec, options_.zones); !s) return s.error();
  const std::string fingerprint = Fingerprint(wire::ToJson(spec));
  std::lock_guard lock(mu_);
  auto known = tokens_.Lookup("instance", spec.idempotency_token, fingerprint);
  if (!known) return known.error();
  if (*known) return Created<cloud::Instance>{instances_.at(**known).instance, false};

  auto image = options_.catalog.find(spec.image);
  if (image == options_.catalog.end()) {
    return Error::Invalid("image", "InvalidAMIID.NotFound: no image \"" + spec.image +
                                       "\" in the catalog (see GET /v1/images)");
  }
  auto user = ParseUserData(spec.user_data, image->second);
  if (!user) return user.error();
  auto subnet = subnets_.find(spec.subnet_id);
  if (subnet == subnets_.end() || subnet->second.origin.region != spec.region) {
    return Error{
        ErrorCode::kNotFound,
        "InvalidSubnetID.NotFound: " + spec.subnet_id + " does not exist in " + spec.region,
        "subnet_id"};
  }
  if (subnet->second.subnet.az != spec.az) {
    return Error::Invalid("az", "subnet " + spec.subnet_id + " is in " + subnet->second.subnet.az +
                                    ", not " + spec.az);
  }
  for (std::size_t i = 0; i < spec.security_group_ids.size(); ++i) {
    auto g = groups_.find(spec.security_group_ids[i]);
    if (g == groups_.end() || g->second.group.vpc_id != subnet->second.subnet.vpc_id) {
      return Error{ErrorCode::kNotFound,
                   "InvalidGroup.NotFound: " + spec.security_group_ids[i] + " is not a group of " +
                       subnet->second.subnet.vpc_id,
                   "security_group_ids[" + std::to_string(i) + "]"};
    }
  }
  if (zones_down_.count(spec.az)) {
    return Error{ErrorCode::kUnavailable,
                 "InsufficientInstanceCapacity: availability zone " + spec.az + " is down", "az"};
  }

  // The private address: the caller's (made0's IPAM), or the lowest free one of the subnet.
  const auto block = ipam::ParseCidr(subnet->second.subnet.cidr);
  if (!block) return Error::Internal("stored subnet CIDR does not parse");
  std::set<std::uint32_t> used;
  for (const auto& [id, r] : instances_) {
    if (r.instance.subnet_id != spec.subnet_id || !IsLive(r.instance.state)) continue;
    if (auto a = ipam::ParseAddress(r.instance.private_ip)) used.insert(*a);
  }
  std::string private_ip = spec.private_ip;
  if (private_ip.empty()) {
    auto picked = ipam::PickAddress(*block, used);
    if (!picked) {
      return Error::Conflict("InsufficientFreeAddressesInSubnet: " + picked.error().message);
    }
    private_ip = ipam::FormatAddress(*picked);
  } else {
    const auto address = ipam::ParseAddress(private_ip, "private_ip");
    auto hosts = ipam::UsableHosts(*block);
    if (!address || !hosts || *address < hosts->first || *address > hosts->last) {
      return Error::Invalid("private_ip", "InvalidParameterValue: " + private_ip +
                                              " is not a usable address of " +
                                              subnet->second.subnet.cidr);
    }
    if (used.count(*address)) {
      return Error{ErrorCode::kConflict,
                   "InvalidIPAddress.InUse: " + private_ip + " is in use in " + spec.subnet_id,
                   "private_ip"};
    }
  }
  auto ports = AllocatePorts(image->second, user->ports);
  if (!ports) return ports.error();

  InstanceRecord r;
  r.instance.id = NewCloudId("i", rng_);
  r.instance.state = InstanceState::kPending;
  r.instance.region = spec.region;
  r.instance.az = spec.az;
  r.instance.subnet_id = spec.subnet_id;
  r.instance.image = spec.image;
  r.instance.instance_type = spec.instance_type;
  r.instance.private_ip = private_ip;
  r.instance.tags = spec.tags;
  for (const auto& [name, port] : *ports) {
    r.instance.endpoints[name] = "127.0.0.1:" + std::to_string(port);
  }
  r.instance.launch_time = clock_.Now();
  r.security_group_ids = spec.security_group_ids;
  r.user_data = spec.user_data;
  r.origin = {spec.region, spec.idempotency_token, fingerprint};
  r.ports = *ports;
  // Recorded before the process starts: a crash in between is found again by Adopt.
  if (Status s = SaveInstance(r); !s) return s.error();
  const std::string id = r.instance.id;
  auto& stored = instances_[id] = std::move(r);
  tokens_.Remember("instance", spec.idempotency_token, fingerprint, id);
  if (Status s = Launch(stored); !s) {
    // Nothing runs: forget the instance so a retry with the same token tries again.
    tokens_.Forget("instance", spec.idempotency_token);
    (void)store_.Remove(id);
    std::error_code ec;
    fs::remove_all(InstanceDir(id), ec);
    instances_.erase(id);
    return s.error();
  }
  return Created<cloud::Instance>{stored.instance, true};
}

Result<std::vector<cloud::Instance>> LocalCloud::DescribeInstances(
    const std::string& region, const std::vector<std::string>& ids) {
  std::lock_guard lock(mu_);
  std::vector<cloud::Instance> out;
  if (ids.empty()) {
    for (const auto& [id, r] : instances_) {
      if (region.empty() || r.instance.region == region) out.push_back(r.instance);
    }
    return out;
  }
  for (const auto& id : ids) {
    auto it = instances_.find(id);
    if (it == instances_.end() || (!region.empty() && it->second.instance.region != region)) {
      return InstanceNotFound(id);
    }
    out.push_back(it->second.instance);
  }
  return out;
}

Result<cloud::Instance> LocalCloud::TerminateInstance(const std::string& region,
                                                      const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = instances_.find(id);
  if (it == instances_.end() || (!region.empty() && it->second.instance.region != region)) {
    return InstanceNotFound(id);
  }
  if (Status s = Apply(it->second, Event::kTerminateRequested); !s) return s.error();
  return it->second.instance;
}

Result<cloud::Instance> LocalCloud::KillInstance(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = instances_.find(id);
  if (it == instances_.end()) return InstanceNotFound(id);
  if (Status s = Apply(it->second, Event::kKillInjected); !s) return s.error();
  return it->second.instance;
}

Status LocalCloud::SetZoneUp(const std::string& az, bool up) {
  if (!options_.zones.RegionOf(az)) {
    return Error::NotFound("InvalidAvailabilityZone: unknown availability zone " + az);
  }
  std::lock_guard lock(mu_);
  const bool changed = up ? zones_down_.erase(az) > 0 : zones_down_.insert(az).second;
  if (changed) {
    if (Status s = SaveZones(); !s) return s;
    log::Warn(up ? "availability zone up" : "availability zone down", {{"az", az}});
  }
  if (up) return Status::Ok();
  for (auto& [id, r] : instances_) {
    if (r.instance.az != az || !IsLive(r.instance.state)) continue;
    if (Status s = Apply(r, Event::kAzDown); !s) return s;
  }
  return Status::Ok();
}

std::map<std::string, std::map<std::string, bool>> LocalCloud::ZoneStates() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::map<std::string, bool>> out;
  for (const auto& [region, azs] : options_.zones.ByRegion()) {
    for (const auto& az : azs) out[region][az] = !zones_down_.count(az);
  }
  return out;
}

}  // namespace made0::hostd
