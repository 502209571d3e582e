#pragma once
// LocalCloud: hostd's whole cloud, the model behind the `local` provider.
//
// What it holds. VPCs, subnets and security groups are records only (no packets are routed or
// filtered) but validated as EC2 would (a subnet inside its VPC, no overlaps, unique group names).
// Instances are real processes on this machine, started from the image catalog
// (made0/hostd/image_catalog.hpp: `etcd`, `test`, or images from MADE0_HOSTD_IMAGES), each
// endpoint on its own 127.0.0.1 port. Regions and AZs are configuration (made0/hostd/zones.hpp).
// IDs look like AWS's: vpc-, subnet-, sg-, i- and 17 hex digits.
//
// Where it lives. Under the data directory (MADE0_HOSTD_DATA_DIR):
//   state/<id>.json        one record per object, replaced atomically (temp + fsync + rename)
//   state/zones.json       the AZs that failure injection took down
//   instances/<id>/        an instance's working directory: instance.log (stdout and stderr),
//                          data/ (the {data_dir} of its image, e.g. etcd's --data-dir)
// Every change is on disk before the call answers, so a hostd restarted after SIGKILL finds
// everything again, idempotency tokens included.
//
// Instances outlive hostd, as VMs outlive a cloud's control plane: they are started detached
// (double fork, setsid, own process group; made0/hostd/process.hpp) and recorded by PID plus
// start time, so a reused PID is never mistaken for one. A restarted hostd re-adopts the live
// ones; an instance whose process died meanwhile becomes terminated. Each instance carries
// MADE0_HOSTD_INSTANCE_ID=<id> in its environment, which finds a process started just before a
// crash that did not get recorded. Stopping hostd (SIGTERM) leaves instances running; only
// TerminateInstance, failure injection, or an operator killing the recorded PIDs stops them.
//
// Life of an instance (made0/hostd/instance_fsm.hpp, pure and table-tested):
//   pending -> running once every endpoint accepts TCP; terminate: shutting-down (SIGTERM to its
//   group), SIGKILL after MADE0_HOSTD_TERMINATE_GRACE, terminated once the process is gone; a
//   process that dies on its own (or is a zombie), a kill injection, its AZ going down, or
//   endpoints still closed after MADE0_HOSTD_START_TIMEOUT: terminated with an EC2-style
//   state_reason. Terminated instances are still described for MADE0_HOSTD_TERMINATED_TTL.
//
// One reconcile loop (a single thread, not one per instance) observes every live instance each
// interval and feeds the state machine; API calls feed it the requested events.
//
// Idempotency: every create takes an idempotency token; the same token returns the object the
// first call made (also after a restart), the same token with other parameters is a conflict.
//
//   LocalCloud cloud(options, store, processes, rng, clock);
//   if (Status s = cloud.Load(); !s) ...       // records, token index, adoption
//   cloud.Start();                              // the reconcile loop
//   auto inst = cloud.RunInstance(spec);        // Result<Created<cloud::Instance>>
//   cloud.Stop();                               // instances keep running
//
// Thread-safe: one mutex guards the state; calls are short (a fork, a few file writes).

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "made0/cloud/provider.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/periodic.hpp"
#include "made0/core/random.hpp"
#include "made0/hostd/idempotency.hpp"
#include "made0/hostd/image_catalog.hpp"
#include "made0/hostd/instance_fsm.hpp"
#include "made0/hostd/process.hpp"
#include "made0/hostd/records.hpp"
#include "made0/hostd/state_store.hpp"
#include "made0/hostd/zones.hpp"

namespace made0::hostd {

struct CloudOptions {
  std::string data_dir;
  Zones zones;
  Catalog catalog;
  std::string exe_dir;   // where bare image binaries are looked for first
  std::string path_env;  // then these directories
  std::chrono::milliseconds reconcile_interval{200};
  std::chrono::milliseconds terminate_grace{std::chrono::seconds(10)};
  std::chrono::milliseconds start_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds terminated_ttl{std::chrono::hours(1)};
};

// Created is a create call's answer: the object, and whether this call made it (201) or an
// earlier call with the same idempotency token did (200).
template <typename T>
struct Created {
  T value;
  bool created = true;
};

// kInstanceMarker is set in every instance's environment as kInstanceMarker=<instance ID>.
inline constexpr std::string_view kInstanceMarker = "MADE0_HOSTD_INSTANCE_ID";

class LocalCloud {
 public:
  LocalCloud(CloudOptions options, StateStore& store, ProcessControl& processes, Random& rng,
             const Clock& clock);
  ~LocalCloud();
  LocalCloud(const LocalCloud&) = delete;
  LocalCloud& operator=(const LocalCloud&) = delete;

  Status Load();
  void Start();
  void Stop();

  Result<Created<cloud::Vpc>> CreateVpc(const cloud::VpcSpec& spec);
  Result<Created<cloud::Subnet>> CreateSubnet(const cloud::SubnetSpec& spec);
  Result<Created<cloud::SecurityGroup>> CreateSecurityGroup(const cloud::SecurityGroupSpec& spec);
  Result<cloud::SecurityGroup> AuthorizeIngress(const std::string& region,
                                                const std::string& group_id,
                                                const std::vector<cloud::IngressRule>& rules);

  Result<Created<cloud::Instance>> RunInstance(const cloud::RunInstanceSpec& spec);
  // DescribeInstances: ids empty means all of the region's (all regions when region is empty).
  Result<std::vector<cloud::Instance>> DescribeInstances(const std::string& region,
                                                         const std::vector<std::string>& ids);
  Result<cloud::Instance> TerminateInstance(const std::string& region, const std::string& id);

  // Failure injection.
  Result<cloud::Instance> KillInstance(const std::string& id);
  Status SetZoneUp(const std::string& az, bool up);
  // Zones: every AZ by region with whether it is up.
  std::map<std::string, std::map<std::string, bool>> ZoneStates() const;

  const Catalog& catalog() const { return options_.catalog; }

  // ReconcileOnce runs one pass of the loop (tests call it directly).
  void ReconcileOnce();
  // LiveInstances counts instances in pending, running or shutting-down (metrics).
  std::size_t LiveInstances() const;

 private:
  Status Apply(InstanceRecord& r, Event event);
  Status Launch(InstanceRecord& r);
  Result<std::map<std::string, int>> AllocatePorts(const Image& image,
                                                   const std::map<std::string, int>& pinned);
  std::set<int> PortsInUse() const;
  Status SaveInstance(const InstanceRecord& r);
  Status SaveZones();
  void Adopt(InstanceRecord& r);
  void CollectGarbage();
  std::string InstanceDir(const std::string& id) const;

  CloudOptions options_;
  StateStore& store_;
  ProcessControl& processes_;
  Random& rng_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::map<std::string, VpcRecord> vpcs_;
  std::map<std::string, SubnetRecord> subnets_;
  std::map<std::string, SecurityGroupRecord> groups_;
  std::map<std::string, InstanceRecord> instances_;
  std::set<std::string> zones_down_;
  TokenIndex tokens_;

  Periodic loop_;  // last: stopped before the state its rounds use goes away
};

}  // namespace made0::hostd
