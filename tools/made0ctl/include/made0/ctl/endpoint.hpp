#pragma once
// Where made0ctl finds the infra service, in this order:
//   1. --server URL
//   2. MADE0_INFRA_URL
//   3. a live `infra` instance in the Redis service registry at MADE0_REDIS_URL, or else at the
//      MADE0_REDIS_URL of the stack environment file that scripts/stack.sh writes:
//      ${MADE0_STACK_ENV}, or else ${MADE0_DATA_DIR:-.data}/stack/stack.env.
//
//   auto choice = ChooseEndpoint(server_flag, env, ReadWholeFile);
//   if (!choice) ...                   // Unavailable: nowhere to look; the message says where
//   // choice->kind == kRegistry, choice->url == "redis://127.0.0.1:40123",
//   // choice->source == "MADE0_REDIS_URL in .data/stack/stack.env"
//
// The decision is pure (the file reader is injected); MakeEndpoint does the I/O.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "made0/core/config.hpp"
#include "made0/core/status.hpp"

namespace made0::ctl {

// ParseEnvFile reads NAME=value lines (an optional "export ", surrounding single or double
// quotes removed); blank lines, comments (#) and lines without '=' are skipped.
std::map<std::string, std::string, std::less<>> ParseEnvFile(std::string_view text);

// FileReader returns a file's contents, or nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

// ReadWholeFile is the real FileReader.
std::optional<std::string> ReadWholeFile(const std::string& path);

struct EndpointChoice {
  enum class Kind { kUrl, kRegistry };
  Kind kind = Kind::kUrl;
  std::string url;     // kUrl: infra's base URL, no trailing '/'; kRegistry: the Redis URL
  std::string source;  // where it came from, for messages: "--server", "MADE0_INFRA_URL", ...
};

// NormalizeBaseUrl drops trailing '/' and adds "http://" when no scheme is given.
std::string NormalizeBaseUrl(std::string_view url);

// ChooseEndpoint applies the order above. Unavailable, with a message naming where it looked,
// when there is no URL and no readable stack environment with MADE0_REDIS_URL.
Result<EndpointChoice> ChooseEndpoint(const std::optional<std::string>& server_flag, const Env& env,
                                      const FileReader& read_file);

// Endpoint gives infra's base URL for each request.
class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // BaseUrl is "http://127.0.0.1:41234"; Unavailable (saying where it looked) if none is known.
  virtual Result<std::string> BaseUrl() = 0;
  // Unreachable reports that base_url refused a connection; true if BaseUrl may now give
  // another one (a registry holds several instances), false if there is nothing else to try.
  virtual bool Unreachable(const std::string& base_url) = 0;
  // Where: "http://127.0.0.1:41234 (from --server)", for error messages.
  virtual std::string Where(const std::string& base_url) const = 0;
};

// MakeEndpoint returns a fixed endpoint for kUrl and a registry lookup (libs/redis Discovery)
// for kRegistry; Invalid if the Redis URL cannot be parsed.
Result<std::unique_ptr<Endpoint>> MakeEndpoint(const EndpointChoice& choice);

}  // namespace made0::ctl
