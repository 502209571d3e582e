// Server::Impl owns the I/O threads, the acceptor, the worker pool and the stop sequence;
// connection.cpp serves one client connection. These two are the only files that include Asio.
#include "made0/http/server.hpp"

#include <future>
#include <mutex>
#include <thread>

#include "connection.hpp"
#include "made0/core/log.hpp"

namespace made0::http {

using internal::Connection;
using internal::Loop;
using internal::ServerState;

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router) : state_{std::move(options), router} {}
  ~Impl() { Stop(std::chrono::milliseconds(0)); }

  Status Start();
  int Port() const { return port_.load(); }
  void Stop(std::chrono::milliseconds grace);

 private:
  asio::awaitable<void> Accept();
  void StartConnection(Loop& loop, tcp::socket socket);
  void StartSweeper(Loop& loop);
  static void RunLoop(Loop& loop);
  // RunOn runs fn on loop's thread and waits for it.
  template <typename Fn>
  static void RunOn(Loop& loop, Fn fn) {
    std::promise<void> done;
    asio::post(loop.ctx, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  ServerState state_;
  std::vector<std::unique_ptr<Loop>> loops_;
  // After loops_, so that they are destroyed first: both live on a loop's io_context.
  std::optional<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::thread_pool> pool_;
  std::atomic<int> port_{0};
  std::chrono::milliseconds sweep_interval_{1000};
  std::mutex mu_;  // serialises Start and Stop
  bool started_ = false;
  bool stopped_ = false;
};

Status Server::Impl::Start() {
  std::lock_guard lock(mu_);
  if (started_ || stopped_) return made0::Error::Internal("http server started twice");
  const ServerOptions& opt = state_.options;
  error_code ec;
  auto address = asio::ip::make_address(opt.address, ec);
  if (ec) return made0::Error::Invalid("address", "bad listen address '" + opt.address + "'");
  if (opt.port < 0 || opt.port > 65535) return made0::Error::Invalid("port", "bad listen port");

  int io_threads = std::max(1, opt.io_threads);
  for (int i = 0; i < io_threads; ++i) loops_.push_back(std::make_unique<Loop>());
  tcp::endpoint endpoint(address, static_cast<unsigned short>(opt.port));
  acceptor_.emplace(loops_[0]->ctx);
  if (acceptor_->open(endpoint.protocol(), ec); !ec) {
    acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    acceptor_.reset();
    loops_.clear();
    return made0::Error::Unavailable("cannot listen on " + opt.address + ":" +
                                     std::to_string(opt.port) + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint().port();

  // Timeouts are checked by a sweep, not a timer per connection: re-arming a timer on every
  // request costs a lock and often a timerfd syscall, a deadline store costs nothing.
  auto shortest = std::min(opt.read_timeout, opt.idle_timeout);
  sweep_interval_ =
      std::clamp(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  pool_ = std::make_unique<asio::thread_pool>(
      static_cast<std::size_t>(std::max(1, opt.worker_threads)));
  state_.pool = pool_.get();

  asio::co_spawn(loops_[0]->ctx, Accept(), asio::detached);
  for (auto& loop : loops_) {
    StartSweeper(*loop);
    loop->thread = std::thread([l = loop.get()] { RunLoop(*l); });
  }
  started_ = true;
  log::Debug("http server listening", {{"address", opt.address}, {"port", port_.load()}});
  return Status::Ok();
}

void Server::Impl::RunLoop(Loop& loop) {
  for (;;) {
    try {
      loop.ctx.run();
      return;
    } catch (const std::exception& e) {
      log::Error("http I/O loop caught an exception", {{"error", e.what()}});
    }
  }
}

void Server::Impl::StartSweeper(Loop& loop) {
  loop.sweeper.expires_after(sweep_interval_);
  loop.sweeper.async_wait([this, &loop](error_code ec) {
    if (ec || state_.stopping) return;
    auto now = SteadyClock::now();
    for (Connection* c = loop.head; c != nullptr;) {
      Connection* next = c->next();  // Sweep never destroys c synchronously; be safe anyway
      c->Sweep(now);
      c = next;
    }
    StartSweeper(loop);
  });
}

asio::awaitable<void> Server::Impl::Accept() {
  std::size_t next = 0;
  for (;;) {
    Loop& target = *loops_[next++ % loops_.size()];
    tcp::socket socket(target.ctx);
    error_code ec;
    co_await acceptor_->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor_->is_open() || ec == asio::error::operation_aborted) co_return;
      log::Warn("http accept failed", {{"error", ec.message()}});
      // Out of descriptors and the like: back off rather than spin.
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (&target == loops_[0].get()) {
      StartConnection(target, std::move(socket));
    } else {
      asio::post(target.ctx, [this, &target, s = std::move(socket)]() mutable {
        StartConnection(target, std::move(s));
      });
    }
  }
}

void Server::Impl::StartConnection(Loop& loop, tcp::socket socket) {
  error_code ec;
  if (state_.stopping) {
    socket.close(ec);
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  auto conn = std::make_shared<Connection>(state_, loop, std::move(socket));
  asio::co_spawn(loop.ctx, Connection::Run(std::move(conn)), asio::detached);
}

void Server::Impl::Stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(mu_);
  if (!started_ || stopped_) {
    stopped_ = true;
    return;
  }
  stopped_ = true;
  auto deadline = SteadyClock::now() + grace;
  state_.stopping = true;
  // 1. Refuse new connections.
  RunOn(*loops_[0], [this] {
    error_code ec;
    acceptor_->close(ec);
  });
  // 2. Close idle keep-alive connections; busy ones close after their current response.
  for (auto& loop : loops_) {
    RunOn(*loop, [&l = *loop] {
      for (Connection* c = l.head; c != nullptr; c = c->next()) c->Drain();
    });
  }
  while (state_.connections.load() > 0 && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // 3. Grace is over: close whatever is left.
  for (auto& loop : loops_) {
    RunOn(*loop, [&l = *loop] {
      for (Connection* c = l.head; c != nullptr; c = c->next()) c->Abort();
    });
  }
  // A handler cannot be interrupted; wait for the running ones, then let the loops run dry.
  pool_->join();
  for (auto& loop : loops_) {
    asio::post(loop->ctx, [&l = *loop] { l.sweeper.cancel(); });
    loop->guard.reset();
  }
  for (auto& loop : loops_) loop->thread.join();
  int left = state_.connections.load();
  log::Debug("http server stopped", {{"port", port_.load()}, {"connections_left", left}});
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
int Server::Port() const { return impl_->Port(); }
void Server::Stop(std::chrono::milliseconds grace) { impl_->Stop(grace); }

}  // namespace made0::http
