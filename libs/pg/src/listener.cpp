#include "made0/pg/listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <pqxx/notification>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <thread>

#include "conninfo.hpp"
#include "made0/core/log.hpp"
#include "made0/pg/migrations.hpp"
#include "pool.hpp"

namespace made0::pg {

class Listener::Impl {
 public:
  Impl(std::string url, std::string channel, std::function<void()> on_notify,
       ListenerOptions options)
      : conninfo_(detail::BuildConnectionString(url, options.connect_timeout)),
        channel_(std::move(channel)),
        on_notify_(std::move(on_notify)),
        options_(options),
        wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!IsValidIdentifier(channel_)) {
      throw std::invalid_argument("pg::Listener: invalid channel name " + channel_);
    }
    if (wake_fd_ < 0) throw std::runtime_error("pg::Listener: eventfd failed");
  }
  ~Impl() {
    Stop();
    ::close(wake_fd_);
  }

  void Start() {
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { Run(); });
  }

  void Stop() {
    stop_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    std::uint64_t drained = 0;
    [[maybe_unused]] auto m = ::read(wake_fd_, &drained, sizeof drained);
  }

  bool Listening() const { return listening_; }
  long long Reconnects() const { return connects_ > 0 ? connects_ - 1 : 0; }

 private:
  class Receiver final : public pqxx::notification_receiver {
   public:
    Receiver(pqxx::connection_base& c, const std::string& channel, Impl& impl)
        : pqxx::notification_receiver(c, channel), impl_(impl) {}
    void operator()(const std::string&, int) override { impl_.Notify(); }

   private:
    Impl& impl_;
  };

  void Notify() {
    try {
      on_notify_();
    } catch (const std::exception& e) {
      log::Error("pg listener callback threw", {{"channel", channel_}, {"error", e.what()}});
    }
  }

  // Wait blocks until fd is readable, Stop() is called, or timeout passes; true if fd is readable.
  bool Wait(int fd, std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {fd, POLLIN, 0}};
    const int n = ::poll(fds, fd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
    if (n < 0 && errno != EINTR) throw std::runtime_error("pg::Listener: poll failed");
    return n > 0 && fd >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
  }

  void Run() {
    while (!stop_) {
      try {
        auto conn = detail::OpenConnection(conninfo_);
        Receiver receiver(*conn->pq, channel_, *this);  // issues LISTEN
        listening_ = true;
        failures_ = 0;
        if (++connects_ > 1) log::Info("pg listener reconnected", {{"channel", channel_}});
        Notify();  // anything committed while we were not listening
        while (!stop_) {
          if (!Wait(conn->pq->sock(), std::chrono::seconds(30))) continue;
          conn->pq->get_notifs();
          if (!conn->pq->is_open()) throw std::runtime_error("connection closed by the server");
        }
      } catch (const std::exception& e) {
        // While the server stays down, log the 1st, 2nd, 4th, 8th... failure, not every retry.
        ++failures_;
        if (!stop_ && (failures_ & (failures_ - 1)) == 0) {
          log::Warn("pg listener has no connection; retrying",
                    {{"channel", channel_}, {"error", e.what()}, {"failures", failures_}});
        }
      }
      listening_ = false;
      if (!stop_) Wait(-1, options_.reconnect_delay);
    }
  }

  const std::string conninfo_;
  const std::string channel_;
  const std::function<void()> on_notify_;
  const ListenerOptions options_;
  const int wake_fd_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<long long> connects_{0};
  long long failures_ = 0;  // consecutive, only touched by the thread
};

Listener::Listener(std::string url, std::string channel, std::function<void()> on_notify,
                   ListenerOptions options)
    : impl_(std::make_unique<Impl>(std::move(url), std::move(channel), std::move(on_notify),
                                   options)) {}

Listener::~Listener() = default;
void Listener::Start() { impl_->Start(); }
void Listener::Stop() { impl_->Stop(); }
bool Listener::Listening() const { return impl_->Listening(); }
long long Listener::Reconnects() const { return impl_->Reconnects(); }

}  // namespace made0::pg
