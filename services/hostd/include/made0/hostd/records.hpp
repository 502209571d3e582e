#pragma once
// What hostd remembers about each object, and how a record is stored as JSON (one file per
// object, made0/hostd/state_store.hpp). A record is the provider-facing object (the structs of
// made0/cloud/provider.hpp) plus what hostd needs to keep its promises after a restart: the
// idempotency token and request fingerprint, and for instances the process's PID and start time.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/cloud/provider.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"

namespace made0::hostd {

// Origin: the call that created a record (its idempotency token and request fingerprint).
struct Origin {
  std::string region;
  std::string token;
  std::string fingerprint;
};

struct VpcRecord {
  cloud::Vpc vpc;
  std::string name;
  Origin origin;
};

struct SubnetRecord {
  cloud::Subnet subnet;
  std::string name;
  Origin origin;
};

struct SecurityGroupRecord {
  cloud::SecurityGroup group;
  std::string description;
  Origin origin;
};

// ProcessIdentity names one process for its whole life: a PID can be reused, the pair of PID and
// start time (field 22 of /proc/<pid>/stat, clock ticks since boot) cannot.
struct ProcessIdentity {
  int pid = 0;
  std::uint64_t start_ticks = 0;

  friend bool operator==(const ProcessIdentity&, const ProcessIdentity&) = default;
};

struct InstanceRecord {
  cloud::Instance instance;
  std::vector<std::string> security_group_ids;
  std::string user_data;
  Origin origin;
  std::map<std::string, int> ports;                 // endpoint -> 127.0.0.1 port
  ProcessIdentity process;                          // pid 0: not started yet
  std::optional<SystemTime> shutdown_requested_at;  // SIGTERM sent (grace runs from here)
  std::optional<SystemTime> terminated_at;          // for expiry of terminated records
};

// Stored form: {"kind": "vpc" | "subnet" | "security_group" | "instance", ...}.
nlohmann::json ToStored(const VpcRecord& r);
nlohmann::json ToStored(const SubnetRecord& r);
nlohmann::json ToStored(const SecurityGroupRecord& r);
nlohmann::json ToStored(const InstanceRecord& r);

Result<VpcRecord> VpcFromStored(const nlohmann::json& j);
Result<SubnetRecord> SubnetFromStored(const nlohmann::json& j);
Result<SecurityGroupRecord> SecurityGroupFromStored(const nlohmann::json& j);
Result<InstanceRecord> InstanceFromStored(const nlohmann::json& j);

}  // namespace made0::hostd
