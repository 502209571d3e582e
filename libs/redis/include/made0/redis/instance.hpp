#pragma once
// Instance: one running process of a service as the registry records it (ARCHITECTURE.md: "Redis
// has running service IDs"). Written by Registry, read by Discovery.

#include <string>

#include "made0/core/clock.hpp"

namespace made0::redis {

struct Instance {
  std::string id;       // "<service>-<12 hex digits>", e.g. "users-3f2a9c0d41be"
  std::string service;  // e.g. "users"
  std::string address;  // HTTP endpoint, e.g. "127.0.0.1"
  int port = 0;
  SystemTime started_at;
  std::string version;
  SystemTime expires_at;  // when the entry lapses unless heartbeated again

  friend bool operator==(const Instance&, const Instance&) = default;
};

// Registry keys, under a prefix (default "made0:"; tests use a unique one):
//   <prefix>instance:<id>     string, the instance as JSON, with a PX TTL
//   <prefix>service:<service> sorted set of instance IDs scored by expiry (Unix ms)
//   <prefix>services          set of service names that have (or recently had) instances
inline constexpr const char* kDefaultKeyPrefix = "made0:";

}  // namespace made0::redis
