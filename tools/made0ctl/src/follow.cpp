#include <thread>

#include "commands.hpp"
#include "json_fields.hpp"
#include "made0/ctl/format.hpp"
#include "made0/ctl/saga_view.hpp"

namespace made0::ctl::internal {

Result<nlohmann::json> Follow(Context& ctx, const std::string& id, const FollowOptions& options) {
  const auto started = ctx.clock.Monotonic();
  const std::string path = ObjectPath(Kind::kSaga, id);
  long long seen = options.after_seq;
  bool warned = false;
  std::optional<SystemTime> start;
  std::string status = "unknown";
  for (;;) {
    auto saga = ctx.infra.Call("GET", path);
    if (saga) {
      if (warned) ctx.err << "infra is reachable again\n" << std::flush;
      warned = false;
      if (!start) start = SagaStart(*saga);
      if (options.print) {
        for (const nlohmann::json* e : EventsAfter(*saga, seen)) {
          ctx.out << FormatEventLine(*e, start);
        }
        ctx.out << std::flush;
      }
      seen = LastSeq(*saga, seen);
      status = Text(*saga, "status");
      if (IsTerminalStatus(status)) {
        if (options.print) ctx.out << FinishLine(*saga) << std::flush;
        return saga;
      }
    } else if (saga.error().code == ErrorCode::kUnavailable) {
      // infra restarting, or its database briefly down: the saga goes on meanwhile.
      if (!warned) ctx.err << FormatError(saga.error()) << "; still trying\n" << std::flush;
      warned = true;
    } else {
      return std::move(saga).error();
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(ctx.clock.Monotonic() - started);
    if (options.timeout && elapsed >= *options.timeout) {
      return Error::Unavailable("gave up waiting for " + id + " after " +
                                FormatDuration(*options.timeout) + " (status " + status +
                                "); it goes on: made0ctl logs saga " + id + " -f");
    }
    auto wait = ctx.poll_interval;
    if (options.timeout) wait = std::min(wait, *options.timeout - elapsed);
    if (ctx.sleep) {
      ctx.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
  }
}

}  // namespace made0::ctl::internal
