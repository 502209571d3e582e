#pragma once
// AmqpUrl: the broker address from MADE0_AMQP_URL, amqp://user:pass@host:port[/vhost].
//
//   auto url = ParseAmqpUrl("amqp://guest:guest@127.0.0.1:5672/%2f");
//   if (!url) return url.error();          // Invalid, naming MADE0_AMQP_URL
//   log::Info("broker", {{"url", Redacted(*url)}});   // never log the password
//
// User, password and vhost are percent-decoded. Missing parts take RabbitMQ's defaults (guest,
// guest, localhost, 5672, vhost "/"). Unlike the AMQP URI spec, a bare trailing "/" also means
// vhost "/": an empty vhost name is never what anyone wants and the broker answers it with
// 530 NOT_ALLOWED. amqps:// and query parameters are not supported.

#include <string>
#include <string_view>

#include "made0/core/status.hpp"

namespace made0::amqp {

inline constexpr const char* kUrlVariable = "MADE0_AMQP_URL";

struct AmqpUrl {
  std::string user = "guest";
  std::string password = "guest";
  std::string host = "localhost";
  int port = 5672;
  std::string vhost = "/";

  friend bool operator==(const AmqpUrl&, const AmqpUrl&) = default;
};

// ParseAmqpUrl returns an Invalid error whose field is MADE0_AMQP_URL.
Result<AmqpUrl> ParseAmqpUrl(std::string_view text);

// Redacted renders the URL with the password replaced by "***", for logs and errors.
std::string Redacted(const AmqpUrl& url);

}  // namespace made0::amqp
