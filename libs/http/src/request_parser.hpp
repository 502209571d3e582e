#pragma once
// RequestParser feeds Beast's HTTP/1 parser straight into a made0 Request. Beast's own
// request_parser would build a message with individually allocated fields and then we would copy
// them again; this one assigns into the connection's reused Request, so a keep-alive connection
// that sends similar requests allocates nothing per request.

#include <boost/beast/http/basic_parser.hpp>

#include "made0/http/message.hpp"

namespace made0::http::internal {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(Request& req) : req_(req) {}

  bool expect_continue() const { return expect_continue_; }
  int version() const { return version_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  using field = boost::beast::http::field;

  static void Assign(std::string& to, string_view from) { to.assign(from.data(), from.size()); }

  void on_request_impl(boost::beast::http::verb, string_view method, string_view target,
                       int version, error_code&) override {
    Assign(req_.method, method);
    Assign(req_.target, target);
    version_ = version;
  }
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(field name, string_view name_string, string_view value, error_code&) override {
    if (count_ < req_.headers.size()) {
      Assign(req_.headers[count_].first, name_string);
      Assign(req_.headers[count_].second, value);
    } else {
      req_.headers.emplace_back(std::string(name_string.data(), name_string.size()),
                                std::string(value.data(), value.size()));
    }
    ++count_;
    if (name == field::expect && value.size() == 12 &&
        boost::beast::iequals(value, string_view("100-continue", 12))) {
      expect_continue_ = true;
    }
  }
  void on_header_impl(error_code&) override { req_.headers.resize(count_); }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    // The body limit was checked before this call, so the reservation is bounded.
    if (length) req_.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(string_view body, error_code&) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  Request& req_;
  std::size_t count_ = 0;
  int version_ = 11;
  bool expect_continue_ = false;
};

}  // namespace made0::http::internal
