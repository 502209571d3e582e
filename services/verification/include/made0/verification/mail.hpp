#pragma once
// The mails made0 sends, and their MIME rendering (multipart/alternative: plain text and HTML).
// Mailer is the sending interface; SmtpMailer (smtp_mailer.hpp) is the real one.
//
//   Mail m = VerificationMail("ann@example.test", "http://127.0.0.1:3000/verify?token=...", 1h);
//   std::string wire = RenderMime(m, "made0 <no-reply@made0.local>", clock.Now(), "b1");

#include <chrono>
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
// AlreadyRegisteredMail answers a sign-up with an address that has an account, so the sign-up
// page never tells anyone which addresses are registered.
Mail AlreadyRegisteredMail(const std::string& to, const std::string& login_url);

// RenderMime produces the RFC 5322 message with CRLF line endings. Header values are ASCII (the
// subjects are fixed and addresses were validated); bodies are 7-bit, lines under 998 octets.
std::string RenderMime(const Mail& mail, const std::string& from, SystemTime date,
                       const std::string& boundary);

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Send returns Ok once the SMTP server accepted the message; Unavailable otherwise.
  virtual Status Send(const Mail& mail) = 0;
};

}  // namespace made0::verification
