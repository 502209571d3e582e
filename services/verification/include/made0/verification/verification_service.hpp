#pragma once
// VerificationService: turns sign-ups into verification mails and confirmed links into
// user.verified events.
//
// Guarantees and their limits:
// - A user.registered message gets one mailed link: a redelivered message whose link is
//   recorded as mailed is acknowledged without another mail. The record is sent unacknowledged
//   (w:0) between the mail's last byte and its end-of-data marker, then confirmed, acknowledged,
//   once the server took the mail. SMTP cannot take part in a transaction, so one window
//   remains: a sender killed in the microseconds between the record and the marker has recorded
//   a mail that never left; its owner asks for a new link from the "check your email" page. A
//   mail refused at the end is recorded as not mailed, whatever order that and the w:0 record
//   reach MongoDB in (both are keyed on the link's token hash); if MongoDB fails at that very
//   moment too, the record stays and the link is not sent: the same way out.
// - A confirmed link always produces user.verified: the link document records the event as
//   pending in the same atomic update that uses the link, and PublishPendingEvents (run
//   periodically) republishes until the broker confirms. users deduplicates on message_id.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "made0/amqp/publisher.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/tracing/span_scope.hpp"
#include "made0/verification/link_store.hpp"
#include "made0/verification/mail.hpp"

namespace made0::verification {

struct VerificationOptions {
  std::chrono::milliseconds link_ttl = std::chrono::hours(1);
  std::string console_url = "http://127.0.0.1:3000";  // links point at <console_url>/verify
};

// SignUpEvent is what user.registered and user.signup_repeated carry.
struct SignUpEvent {
  std::string message_id;
  std::string user_id;
  std::string email;
  bool verified = false;
  bool repeated = false;  // user.signup_repeated
};

struct Confirmed {
  std::string user_id;
  std::string email;
};

// RateGate decides whether a resend is allowed now (Redis-backed in production).
class RateGate {
 public:
  virtual ~RateGate() = default;
  // Check counts an attempt for email if allowed, and returns 0; otherwise the time to wait.
  virtual Result<std::chrono::seconds> Check(const std::string& email) = 0;
};

struct ResendOutcome {
  bool rate_limited = false;
  std::chrono::seconds retry_after{0};
};

class VerificationService {
 public:
  VerificationService(LinkStore& store, Mailer& mailer, amqp::Publisher& publisher, RateGate& gate,
                      Random& rng, const Clock& clock, const tracing::Tracer& tracer,
                      VerificationOptions options = {});

  // OnSignUp handles one delivery; Unavailable means "retry later" (SMTP down).
  Status OnSignUp(const SignUpEvent& event);
  // OnSignUps handles deliveries that arrived together, with one Status each, in order: one
  // lookup of the links already mailed for the whole batch, a mail each (under traces[i], when
  // given), then one acknowledged record of the mailed links. It throws if the lookup fails (then
  // nothing was mailed).
  std::vector<Status> OnSignUps(const std::vector<SignUpEvent>& events,
                                const std::vector<TraceContext>& traces);
  Result<Confirmed> Confirm(std::string_view token);
  // Resend mails a new link if the address has a pending (unverified) sign-up. It answers the
  // same whether or not the address is known; the limit applies to every address alike.
  Result<ResendOutcome> Resend(std::string_view email);
  // PublishPendingEvents republishes user.verified events not yet confirmed; returns how many.
  int PublishPendingEvents();

  static amqp::Message VerifiedEvent(const Link& link, SystemTime now);

 private:
  // SendLink mails a new link for `source`, recorded unacknowledged before the end of data; the
  // caller confirms the record (ConfirmLinksMailed) before acknowledging the delivery.
  Result<Link> SendLink(const std::string& user_id, const std::string& email,
                        const std::string& source);
  // MailNewLink is SendLink and its confirmation, unless a link for `source` was mailed before.
  Status MailNewLink(const std::string& user_id, const std::string& email,
                     const std::string& source);
  Status OnRepeatedSignUp(const SignUpEvent& event);
  // SendRecorded sends `mail`, calling `record` (an unacknowledged record of it) just before the
  // end of data; `forget` undoes the record of a mail refused at the end.
  Status SendRecorded(const Mail& mail, const std::function<void()>& record,
                      const std::function<void()>& forget);

  LinkStore& store_;
  Mailer& mailer_;
  amqp::Publisher& publisher_;
  RateGate& gate_;
  Random& rng_;
  const Clock& clock_;
  const tracing::Tracer& tracer_;
  VerificationOptions options_;
};

}  // namespace made0::verification
