#include "made0/redis/reply.hpp"

#include <charconv>

namespace made0::redis {

Reply Reply::MakeInteger(long long value) {
  Reply r;
  r.type_ = ReplyType::kInteger;
  r.integer_ = value;
  return r;
}

Reply Reply::MakeString(std::string bytes) {
  Reply r;
  r.type_ = ReplyType::kString;
  r.text_ = std::move(bytes);
  return r;
}

Reply Reply::MakeStatus(std::string text) {
  Reply r;
  r.type_ = ReplyType::kStatus;
  r.text_ = std::move(text);
  return r;
}

Reply Reply::MakeError(std::string text) {
  Reply r;
  r.type_ = ReplyType::kError;
  r.text_ = std::move(text);
  return r;
}

Reply Reply::MakeArray(std::vector<Reply> elements) {
  Reply r;
  r.type_ = ReplyType::kArray;
  r.elements_ = std::move(elements);
  return r;
}

std::optional<long long> Reply::AsInteger() const {
  if (type_ == ReplyType::kInteger) return integer_;
  if (type_ != ReplyType::kString || text_.empty()) return std::nullopt;
  long long v = 0;
  const char* end = text_.data() + text_.size();
  auto [ptr, ec] = std::from_chars(text_.data(), end, v);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return v;
}

std::optional<std::string> Reply::AsString() const {
  if (type_ == ReplyType::kString || type_ == ReplyType::kStatus) return text_;
  return std::nullopt;
}

namespace {

void Quote(std::string& out, const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  out += '"';
}

void Render(std::string& out, const Reply& r) {
  switch (r.type()) {
    case ReplyType::kNil:
      out += "(nil)";
      return;
    case ReplyType::kInteger:
      out += "(integer) " + std::to_string(r.integer());
      return;
    case ReplyType::kString:
      Quote(out, r.text());
      return;
    case ReplyType::kStatus:
      out += r.text();
      return;
    case ReplyType::kError:
      out += "(error) " + r.text();
      return;
    case ReplyType::kArray:
      out += '[';
      for (std::size_t i = 0; i < r.elements().size(); ++i) {
        if (i > 0) out += ", ";
        Render(out, r.elements()[i]);
      }
      out += ']';
      return;
  }
}

}  // namespace

std::string Reply::DebugString() const {
  std::string out;
  Render(out, *this);
  return out;
}

made0::Error ErrorFromReply(const Reply& reply) {
  if (!reply.is_error()) return made0::Error::Internal("redis: not an error reply");
  const std::string& text = reply.text();
  const std::string_view prefix = std::string_view(text).substr(0, text.find(' '));
  // These mean "the server cannot serve now, try later", not "the command is wrong".
  for (std::string_view transient : {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (prefix == transient) return made0::Error::Unavailable("redis: " + text);
  }
  return made0::Error::Internal("redis: " + text);
}

}  // namespace made0::redis
