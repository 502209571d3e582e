#pragma once
// The mails made0 sends, and their MIME rendering (multipart/alternative: plain text and HTML).
// Mailer is the sending interface; SmtpMailer (smtp_mailer.hpp) is the real one.
//
//   Mail m = VerificationMail("ann@example.test", "http://127.0.0.1:3000/verify?token=...", 1h);
//   std::string wire = RenderMime(m, "made0 <no-reply@made0.local>", clock.Now(), "b1");

#include <chrono>
#include <functional>
#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"

namespace made0::verification {

struct Mail {
  std::string to;
  std::string subject;
  std::string text;
  std::string html;
  std::string message_id;  // "<...@made0>", set by the caller; stable per link for tracing
};

Mail VerificationMail(const std::string& to, const std::string& link_url,
                      std::chrono::milliseconds ttl);
// ValidityText says how long a link lasts, in the largest whole unit: "1 hour", "90 minutes",
// "45 seconds" (rounded down to a whole second).
std::string ValidityText(std::chrono::milliseconds ttl);
// AlreadyRegisteredMail answers a sign-up with an address that has an account, so the sign-up
// page never tells anyone which addresses are registered.
Mail AlreadyRegisteredMail(const std::string& to, const std::string& login_url);

// RenderMime produces the RFC 5322 message with CRLF line endings. Header values are ASCII (the
// subjects are fixed and addresses were validated); bodies are 7-bit, lines under 998 octets.
std::string RenderMime(const Mail& mail, const std::string& from, SystemTime date,
                       const std::string& boundary);

// Mailer sends mail. SMTP has no idempotency: a sender that dies around the moment the server
// accepts a message cannot know whether it was delivered. Send narrows that moment to almost
// nothing: it calls `before_commit` after the whole message has been handed over and just before
// the end-of-data marker that makes the server commit it, so the caller records "sent" there.
// Dying before the marker leaves the server with a partial message, which it discards (a retry
// sends it once); dying after it leaves a delivered and recorded mail. Only the few microseconds
// between the record and the marker leaving the process remain.
class Mailer {
 public:
  virtual ~Mailer() = default;
  // Send returns Ok once the server accepted the message; Unavailable otherwise. If
  // before_commit fails, nothing is delivered and its error is returned. If the server refuses
  // the message after before_commit succeeded, Send returns Unavailable and the caller must undo
  // its record.
  virtual Status Send(const Mail& mail, const std::function<Status()>& before_commit) = 0;
};

}  // namespace made0::verification
