#include "made0/redis/script.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "made0/core/encoding.hpp"

namespace made0::redis {
namespace {

std::string Sha1Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(sha1) failed");
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

}  // namespace

Script::Script(std::string source) : source_(std::move(source)), sha1_(Sha1Hex(source_)) {}

Result<Reply> Script::Run(Client& client, const std::vector<std::string>& keys,
                          const std::vector<std::string>& args) const {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.push_back("EVALSHA");
  command.push_back(sha1_);
  command.push_back(std::to_string(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());

  auto reply = client.Command(command);
  if (reply && reply->is_error() && reply->text().starts_with("NOSCRIPT")) {
    // EVAL also caches the script, so the next Run goes back to EVALSHA.
    command[0] = "EVAL";
    command[1] = source_;
    reply = client.Command(std::move(command));
  }
  if (reply && reply->is_error()) return ErrorFromReply(*reply);
  return reply;
}

}  // namespace made0::redis
