#pragma once
// From an image, the caller's user_data and the instance's variables to the exact argv and
// environment of the process (pure; LocalCloud spawns it).
//
// user_data is JSON (empty means {}):
//   {"args": ["--initial-cluster", "a=http://127.0.0.1:{port.peer},b=..."],   // appended
//    "env": {"ETCD_LOG_LEVEL": "debug"},                                       // merged, wins
//    "ports": {"peer": 42380}}                                                  // pin endpoints
// Its args and env values are templates too, so an operator can name the instance's own ports.
// "ports" pins an endpoint's port instead of taking a free one: on this machine every member
// shares 127.0.0.1, so a cluster whose members must know each other's peer URLs before they
// start (etcd's --initial-cluster) chooses them up front.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/hostd/image_catalog.hpp"
#include "made0/hostd/template.hpp"

namespace made0::hostd {

inline constexpr std::size_t kMaxUserDataBytes = 16 * 1024;  // EC2's limit

struct UserData {
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::map<std::string, int> ports;
};

// ParseUserData validates user_data against the image (pinned ports must name its endpoints and
// be in 1024..65535). Errors are Invalid naming "user_data" or "user_data.<path>".
Result<UserData> ParseUserData(std::string_view text, const Image& image);

struct LaunchPlan {
  std::vector<std::string> argv;  // argv[0] is the resolved binary
  std::vector<std::string> env;   // "NAME=value", sorted by name
};

// PlanLaunch expands the image's and user_data's templates with vars and merges the environment:
// base_env, then the image's env, then user_data's env (a later one wins).
Result<LaunchPlan> PlanLaunch(const Image& image, const std::string& binary, const UserData& user,
                              const TemplateVars& vars,
                              const std::map<std::string, std::string>& base_env);

}  // namespace made0::hostd
