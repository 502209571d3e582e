#pragma once
// Writing a response head, kept apart from the socket code so that it is pure and tested.

#include <ctime>
#include <string>
#include <string_view>

#include "made0/http/message.hpp"

namespace made0::http::internal {

enum class ConnectionHeader { kNone, kClose, kKeepAlive };

// ReasonPhrase is the standard phrase for a status ("Not Found"), or "Unknown".
std::string_view ReasonPhrase(int status);

// BodyAllowed is false for statuses that never carry a body (1xx, 204, 304).
bool BodyAllowed(int status);

// AppendResponseHead writes the status line and headers, ending with the blank line. The server
// owns Content-Length, Connection, Date and Transfer-Encoding, so such headers from the handler
// are skipped, as is any header whose name or value holds CR or LF (response splitting).
// Content-Length is the size of resp.body even when the body is not sent (HEAD).
void AppendResponseHead(const Response& resp, ConnectionHeader connection, std::string_view date,
                        std::string& out);

// WantsClose is true when the handler asked for "Connection: close".
bool WantsClose(const Response& resp);

// DateCache keeps the IMF-fixdate for the current second; one per I/O thread, so no locks.
class DateCache {
 public:
  std::string_view Get();

 private:
  std::time_t second_ = -1;
  char text_[40] = {};
  std::size_t size_ = 0;
};

}  // namespace made0::http::internal
