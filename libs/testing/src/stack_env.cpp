#include "made0/testing/stack_env.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "made0/core/random.hpp"

namespace made0::testing {
namespace {

MapEnv Load(bool export_vars) {
  const char* path = std::getenv("MADE0_STACK_ENV");
  if (path == nullptr || *path == '\0') {
    throw std::runtime_error("MADE0_STACK_ENV is not set: run integration tests through ctest");
  }
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read stack env file ") + path);
  MapEnv env{};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (export_vars) setenv(key.c_str(), value.c_str(), 1);
    env.Set(std::move(key), std::move(value));
  }
  return env;
}

}  // namespace

MapEnv LoadStackEnv() { return Load(false); }
MapEnv ExportStackEnv() { return Load(true); }

std::string UniqueName(const std::string& prefix) {
  SecureRandom rng;
  return prefix + RandomHex(rng, 4);
}

}  // namespace made0::testing
