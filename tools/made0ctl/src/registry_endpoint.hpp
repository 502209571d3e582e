#pragma once
// RegistryEndpoint: infra's address from the Redis service registry (made0::redis::Discovery).

#include <memory>
#include <string>

#include "made0/core/status.hpp"
#include "made0/ctl/endpoint.hpp"

namespace made0::ctl {

// MakeRegistryEndpoint connects lazily: a Redis that is down shows on the first BaseUrl().
Result<std::unique_ptr<Endpoint>> MakeRegistryEndpoint(const std::string& redis_url,
                                                       const std::string& source);

}  // namespace made0::ctl
