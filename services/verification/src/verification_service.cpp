#include "made0/verification/verification_service.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "made0/core/log.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/identity/validation.hpp"

namespace made0::verification {

VerificationService::VerificationService(LinkStore& store, Mailer& mailer,
                                         amqp::Publisher& publisher, RateGate& gate, Random& rng,
                                         const Clock& clock, const tracing::Tracer& tracer,
                                         VerificationOptions options)
    : store_(store),
      mailer_(mailer),
      publisher_(publisher),
      gate_(gate),
      rng_(rng),
      clock_(clock),
      tracer_(tracer),
      options_(std::move(options)) {}

Status VerificationService::SendRecorded(const Mail& mail, const std::function<void()>& record,
                                         const std::function<void()>& forget) {
  bool recorded = false;
  Status st = mailer_.Send(mail, [&] {
    record();
    recorded = true;
    return Status::Ok();
  });
  if (!st && recorded) forget();  // refused after all
  return st;
}

Result<Link> VerificationService::SendLink(const std::string& user_id, const std::string& email,
                                           const std::string& source) {
  NewLink l = MakeLink(rng_, clock_, user_id, email, options_.link_ttl, source);
  Mail mail =
      VerificationMail(email, options_.console_url + "/verify?token=" + l.token, options_.link_ttl);
  mail.message_id = "<" + l.link.id.substr(0, 32) + "@made0>";
  tracing::SpanScope span(tracer_, "smtp send + mongodb record link", "client");
  Status st = SendRecorded(
      mail, [&] { store_.RecordLinkMailed(l.link); }, [&] { store_.ForgetLink(l.link); });
  if (!st) {
    span.SetError(st.error().message);
    return st.error();
  }
  log::Info("verification link mailed", {{"user_id", user_id}, {"source", source}});
  return l.link;
}

Status VerificationService::MailNewLink(const std::string& user_id, const std::string& email,
                                        const std::string& source) {
  if (store_.LinkMailedFor(source)) {
    log::Info("duplicate sign-up event ignored: its link was mailed", {{"source", source}});
    return Status::Ok();
  }
  Result<Link> sent = SendLink(user_id, email, source);
  if (!sent) return sent.error();
  store_.ConfirmLinksMailed({*sent});  // durable before the delivery is acknowledged
  return Status::Ok();
}

Status VerificationService::OnRepeatedSignUp(const SignUpEvent& e) {
  // A sign-up with an address that has an account: an unverified owner gets a fresh link, a
  // verified one a notice. Either way the console answered exactly as for a new sign-up.
  if (store_.WasMailed(e.message_id)) return Status::Ok();
  if (!e.verified && !store_.IsUserVerified(e.user_id)) {
    return MailNewLink(e.user_id, e.email, e.message_id);
  }
  Mail mail = AlreadyRegisteredMail(e.email, options_.console_url + "/login");
  mail.message_id = "<" + e.message_id + "@made0>";
  const SystemTime now = clock_.Now();
  Status st = SendRecorded(
      mail, [&] { store_.RecordMailed(e.message_id, now, Ack::kNoWait); },
      [&] { store_.ForgetMailed(e.message_id); });
  if (!st) return st;
  store_.RecordMailed(e.message_id, now, Ack::kWait);
  log::Info("already-registered notice mailed", {{"user_id", e.user_id}});
  return Status::Ok();
}

Status VerificationService::OnSignUp(const SignUpEvent& event) {
  return OnSignUps({event}, {}).front();
}

std::vector<Status> VerificationService::OnSignUps(const std::vector<SignUpEvent>& events,
                                                   const std::vector<TraceContext>& traces) {
  std::vector<Status> out(events.size(), Status::Ok());
  std::vector<std::string> sources;
  for (const SignUpEvent& e : events) {
    if (!e.repeated) sources.push_back(e.message_id);
  }
  // One lookup for the whole batch; if it fails, nothing was mailed and all of them are retried.
  const std::set<std::string> mailed = store_.LinksMailedFor(sources);
  std::vector<Link> sent;
  std::vector<std::size_t> sent_index;
  std::map<std::string, std::size_t> first_of;  // message_id -> its first event in the batch
  std::vector<std::pair<std::size_t, std::size_t>> repeats;  // (event, first event of its id)
  for (std::size_t i = 0; i < events.size(); ++i) {
    const SignUpEvent& e = events[i];
    // The relay may publish a message twice; both copies can land in one batch.
    if (auto [it, fresh] = first_of.emplace(e.message_id, i); !fresh) {
      repeats.emplace_back(i, it->second);
      continue;
    }
    std::optional<ScopedTraceContext> scope;
    if (i < traces.size()) scope.emplace(traces[i]);
    try {
      if (e.repeated) {
        out[i] = OnRepeatedSignUp(e);
      } else if (mailed.count(e.message_id) > 0) {
        log::Info("duplicate sign-up event ignored: its link was mailed",
                  {{"source", e.message_id}});
      } else if (Result<Link> link = SendLink(e.user_id, e.email, e.message_id); !link) {
        out[i] = link.error();
      } else {
        sent.push_back(*link);
        sent_index.push_back(i);
      }
    } catch (const std::exception& ex) {  // the store failed for this event
      out[i] = Error::Unavailable(ex.what());
    }
  }
  // The mailed links are recorded durably, together, before any delivery is acknowledged.
  try {
    store_.ConfirmLinksMailed(sent);
  } catch (const std::exception& ex) {
    for (std::size_t i : sent_index) out[i] = Error::Unavailable(ex.what());
  }
  for (auto [i, first] : repeats) out[i] = out[first];  // acknowledged or retried with it
  return out;
}

amqp::Message VerificationService::VerifiedEvent(const Link& link, SystemTime now) {
  amqp::Message m;
  m.exchange = amqp::kEventsExchange;
  m.routing_key = "user.verified";
  m.type = "user.verified";
  // Derived from the link, so every republication of one confirmation is one message to users.
  m.message_id = "verified-" + link.id.substr(0, 32);
  m.body = nlohmann::json{{"type", "user.verified"},
                          {"version", 1},
                          {"user_id", link.user_id},
                          {"email", link.email},
                          {"occurred_at", FormatRfc3339(now)}}
               .dump();
  if (const TraceContext* t = CurrentTraceContext()) {
    m.headers["traceparent"] = FormatTraceparent(*t);
  }
  return m;
}

Result<Confirmed> VerificationService::Confirm(std::string_view token) {
  if (token.empty()) return Error::Invalid("token", "token is required");
  auto id = LinkTokenHash(token);
  if (!id) return Error::Invalid("token", "this verification link is malformed");
  std::optional<Link> link = store_.Find(*id);
  const SystemTime now = clock_.Now();
  if (LinkVerdict v = Judge(link, now); v != LinkVerdict::kValid) return VerdictError(v);
  {
    tracing::SpanScope span(tracer_, "mongodb use link");
    if (!store_.MarkUsed(*id, now)) return VerdictError(LinkVerdict::kUsed);  // lost a race
  }
  tracing::SpanScope publish_span(tracer_, "publish user.verified", "producer");
  if (Status st = publisher_.Publish(VerifiedEvent(*link, now)); st) {
    store_.MarkVerifiedEventPublished(*id);
  } else {
    log::Warn("user.verified not published yet; will retry",
              {{"user_id", link->user_id}, {"error", st.error().message}});
  }
  log::Info("email verified", {{"user_id", link->user_id}});
  return Confirmed{link->user_id, link->email};
}

Result<ResendOutcome> VerificationService::Resend(std::string_view email_in) {
  auto email = identity::NormalizeEmail(email_in);
  if (!email) return email.error();
  auto wait = gate_.Check(*email);
  if (!wait) return wait.error();
  if (wait->count() > 0) return ResendOutcome{true, *wait};
  std::optional<Link> latest = store_.LatestForEmail(*email);
  if (!latest || store_.IsUserVerified(latest->user_id)) return ResendOutcome{};
  if (Status st = MailNewLink(latest->user_id, *email, "resend-" + RandomHex(rng_, 8)); !st) {
    return st.error();
  }
  return ResendOutcome{};
}

int VerificationService::PublishPendingEvents() {
  int published = 0;
  for (const Link& link :
       store_.PendingVerifiedEvents(clock_.Now() - std::chrono::seconds(2), 100)) {
    if (Status st = publisher_.Publish(VerifiedEvent(link, clock_.Now())); !st) break;
    store_.MarkVerifiedEventPublished(link.id);
    ++published;
  }
  return published;
}

}  // namespace made0::verification
