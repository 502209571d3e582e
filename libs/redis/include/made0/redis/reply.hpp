#pragma once
// Reply: one Redis reply (RESP2), independent of hiredis. Error replies are values here, not
// made0::Error, because some callers must see them (a script's NOSCRIPT, one failed command in a
// pipeline); Client::Call turns them into Errors for everyone else.
//
//   Result<Reply> r = client.Command({"GET", key});
//   if (!r) return r.error();                        // Redis unreachable or timed out
//   if (r->is_nil()) return Error::NotFound(key);
//   Use(r->text());

#include <optional>
#include <string>
#include <vector>

#include "made0/core/status.hpp"

namespace made0::redis {

enum class ReplyType { kNil, kInteger, kString, kStatus, kError, kArray };

class Reply {
 public:
  Reply() = default;  // nil

  static Reply MakeNil() { return {}; }
  static Reply MakeInteger(long long value);
  static Reply MakeString(std::string bytes);
  static Reply MakeStatus(std::string text);
  static Reply MakeError(std::string text);
  static Reply MakeArray(std::vector<Reply> elements);

  ReplyType type() const { return type_; }
  bool is_nil() const { return type_ == ReplyType::kNil; }
  bool is_error() const { return type_ == ReplyType::kError; }

  // integer is the value of an integer reply, 0 for other types.
  long long integer() const { return integer_; }
  // text is the bytes of a string, status or error reply, empty for other types.
  const std::string& text() const { return text_; }
  // elements are the members of an array reply, empty for other types.
  const std::vector<Reply>& elements() const { return elements_; }

  // AsInteger accepts an integer reply or a string reply holding a decimal integer (what
  // ZSCORE and many Lua scripts return); nullopt otherwise.
  std::optional<long long> AsInteger() const;
  // AsString gives the text of a string or status reply; nullopt for nil and other types.
  std::optional<std::string> AsString() const;

  // DebugString renders the reply like redis-cli does, for logs and test failures.
  std::string DebugString() const;

  friend bool operator==(const Reply&, const Reply&) = default;

 private:
  ReplyType type_ = ReplyType::kNil;
  long long integer_ = 0;
  std::string text_;
  std::vector<Reply> elements_;
};

// ErrorFromReply maps an error reply to an Error: Unavailable for the transient server states
// (LOADING, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN), Internal for everything else (a bug on
// our side: wrong type, syntax, script error). The message keeps Redis's text.
made0::Error ErrorFromReply(const Reply& reply);

}  // namespace made0::redis
