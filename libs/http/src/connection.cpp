#include "connection.hpp"

#include <array>

#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "made0/core/log.hpp"
#include "url.hpp"

namespace made0::http::internal {
namespace {

constexpr auto kNoDeadline = SteadyClock::time_point::max();
constexpr std::size_t kReadChunk = 16 * 1024;
// After an error answer (413, 400) the client may still be sending. Closing with unread data
// makes the kernel send RST, which can destroy our answer in flight, so read and discard for a
// while first, as nginx's lingering_close does.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr std::string_view k100Continue = "HTTP/1.1 100 Continue\r\n\r\n";

const auto kToken = asio::use_awaitable;

}  // namespace

Connection::Connection(ServerState& state, Loop& loop, tcp::socket socket)
    : state_(state), loop_(loop), socket_(std::move(socket)) {
  error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_ = endpoint.address().to_string();
    remote_port_ = endpoint.port();
  }
  next_ = loop_.head;
  if (next_ != nullptr) next_->prev_ = this;
  loop_.head = this;
  ++state_.connections;
}

Connection::~Connection() {
  if (prev_ != nullptr) prev_->next_ = next_;
  if (next_ != nullptr) next_->prev_ = prev_;
  if (loop_.head == this) loop_.head = next_;
  --state_.connections;
}

void Connection::Drain() {
  draining_ = true;
  if (phase_ == Phase::kIdle) Abort();
}

void Connection::Abort() {
  deadline_ = kNoDeadline;
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

asio::awaitable<void> Connection::Run(std::shared_ptr<Connection> self) {
  try {
    co_await self->Serve();
  } catch (const std::exception& e) {
    log::Error("http connection failed", {{"error", e.what()}});
  }
  self->Abort();
}

asio::awaitable<void> Connection::Serve() {
  for (;;) {
    Outcome outcome = co_await ReadRequest();
    if (outcome == Outcome::kClosed) co_return;
    if (outcome == Outcome::kReject) {
      if (co_await Write(reject_, true, ConnectionHeader::kClose)) co_await LingeringClose();
      co_return;
    }

    std::string_view raw_path;
    std::string_view raw_query;
    SplitTarget(req_.target, raw_path, raw_query);
    req_.path.clear();
    PercentDecode(raw_path, false, req_.path);
    req_.query.clear();
    ParseQuery(raw_query, req_.query);
    req_.remote_address = remote_;
    req_.remote_port = remote_port_;
    req_.context.clear();
    RouteMatch match = state_.router.Match(req_.method, raw_path, &req_.path_params);
    req_.route.assign(match.pattern);

    // Not a ?: expression: g++ 12 destroys a co_await result in a conditional twice.
    Response resp;
    if (match.blocking) {
      resp = co_await DispatchBlocking(match);
    } else {
      resp = Dispatch(match);
    }

    bool keep_alive = parser_->keep_alive() && !draining_ && !WantsClose(resp);
    ConnectionHeader header = ConnectionHeader::kNone;
    if (!keep_alive) {
      header = ConnectionHeader::kClose;
    } else if (parser_->version() < 11) {
      header = ConnectionHeader::kKeepAlive;
    }
    if (!co_await Write(resp, req_.method != "HEAD", header)) co_return;
    if (!keep_alive) co_return;
  }
}

asio::awaitable<Connection::Outcome> Connection::ReadRequest() {
  req_.body.clear();
  parser_.emplace(req_);
  parser_->header_limit(static_cast<std::uint32_t>(state_.options.header_limit));
  parser_->body_limit(state_.options.body_limit);
  parser_->eager(true);
  bool started = buffer_.size() > 0;  // a pipelined request may already be here
  bool continued = false;
  phase_ = started ? Phase::kReading : Phase::kIdle;
  ExpireIn(started ? state_.options.read_timeout : state_.options.idle_timeout);
  for (;;) {
    if (buffer_.size() > 0) {
      error_code ec;
      buffer_.consume(parser_->put(buffer_.data(), ec));
      if (!ec && parser_->is_done()) {
        phase_ = Phase::kBusy;
        deadline_ = kNoDeadline;
        co_return Outcome::kRequest;
      }
      if (ec && ec != boost::beast::http::error::need_more) {
        phase_ = Phase::kBusy;
        reject_ = Reject(ec);
        co_return Outcome::kReject;
      }
      if (parser_->is_header_done() && parser_->expect_continue() && !continued) {
        continued = true;
        co_await asio::async_write(socket_, asio::buffer(k100Continue.data(), k100Continue.size()),
                                   asio::redirect_error(kToken, ec));
        if (ec) co_return Outcome::kClosed;
      }
    }
    if (draining_ && !started) co_return Outcome::kClosed;
    error_code ec;
    std::size_t n = co_await socket_.async_read_some(buffer_.prepare(kReadChunk),
                                                     asio::redirect_error(kToken, ec));
    // EOF, a reset, or the socket closed by Sweep (timeout) or Drain: nobody to answer.
    if (ec) co_return Outcome::kClosed;
    buffer_.commit(n);
    if (!started) {
      started = true;
      phase_ = Phase::kReading;
      ExpireIn(state_.options.read_timeout);
    }
  }
}

Response Connection::Reject(const error_code& ec) const {
  namespace beast_http = boost::beast::http;
  if (ec == beast_http::error::body_limit) {
    return Response::Error(
        {ErrorCode::kTooLarge,
         "request body exceeds " + std::to_string(state_.options.body_limit) + " bytes",
         {}});
  }
  if (ec == beast_http::error::header_limit) {
    Response resp = Response::Error({ErrorCode::kTooLarge, "request header is too large", {}});
    resp.status = 431;
    return resp;
  }
  return Response::Error(made0::Error::Malformed("malformed HTTP request: " + ec.message()));
}

Response Connection::Dispatch(const RouteMatch& match) {
  // The router already turns a throwing handler into a 500; this catches throwing middleware.
  try {
    return state_.router.Dispatch(req_, match);
  } catch (const std::exception& e) {
    log::Error("http middleware threw", {{"route", req_.route}, {"error", e.what()}});
  } catch (...) {
    log::Error("http middleware threw", {{"route", req_.route}});
  }
  return Response::Error(made0::Error::Internal("internal error"));
}

asio::awaitable<Response> Connection::DispatchBlocking(const RouteMatch& match) {
  // Hop to the worker pool, run the handler there, and resume this coroutine on its own loop.
  auto initiate = [this, &match](auto handler) {
    asio::post(*state_.pool, [this, &match, handler = std::move(handler)]() mutable {
      Response resp = Dispatch(match);
      auto executor = asio::get_associated_executor(handler);
      asio::post(executor, [handler = std::move(handler), resp = std::move(resp)]() mutable {
        std::move(handler)(std::move(resp));
      });
    });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Response)>(initiate,
                                                                                         kToken);
}

asio::awaitable<bool> Connection::Write(const Response& resp, bool send_body,
                                        ConnectionHeader connection) {
  out_.clear();
  AppendResponseHead(resp, connection, loop_.date.Get(), out_);
  std::size_t body_size = send_body && BodyAllowed(resp.status) ? resp.body.size() : 0;
  std::array<asio::const_buffer, 2> buffers{asio::buffer(out_),
                                            asio::buffer(resp.body.data(), body_size)};
  ExpireIn(state_.options.read_timeout);  // a client that does not read is cut off too
  error_code ec;
  co_await asio::async_write(socket_, buffers, asio::redirect_error(kToken, ec));
  deadline_ = kNoDeadline;
  co_return !ec;
}

asio::awaitable<void> Connection::LingeringClose() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  ExpireIn(kLingerTime);
  std::size_t drained = 0;
  while (!ec && drained < kLingerBytes) {
    drained += co_await socket_.async_read_some(buffer_.prepare(kReadChunk),
                                                asio::redirect_error(kToken, ec));
  }
}

}  // namespace made0::http::internal
