#pragma once
// SmtpMailer sends a Mail over SMTP with libcurl (MADE0_SMTP_URL, e.g. smtp://127.0.0.1:2525).
// One curl handle keeps its connection between mails (a new connection, greeting and EHLO cost
// the sink about as much CPU as the mail itself); Sends take turns on it. A kept connection that
// the server closed meanwhile (a restarted server) is replaced once, which is safe because the
// message was not committed. A refused connection, a timeout or a rejected recipient is
// Unavailable, and the caller retries.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/verification/mail.hpp"

namespace made0::verification {

class SmtpMailer final : public Mailer {
 public:
  // from is an RFC 5322 mailbox: "made0 <no-reply@made0.local>"; envelope_from the bare address.
  SmtpMailer(std::string url, std::string from, std::string envelope_from, Random& rng,
             const Clock& clock, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  ~SmtpMailer() override;
  SmtpMailer(const SmtpMailer&) = delete;
  SmtpMailer& operator=(const SmtpMailer&) = delete;

  Status Send(const Mail& mail, const std::function<Status()>& before_commit) override;

 private:
  struct Handle;
  std::string url_;
  std::string from_;
  std::string envelope_from_;
  Random& rng_;
  const Clock& clock_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;                   // one transfer at a time on handle_
  std::unique_ptr<Handle> handle_;  // the curl easy handle and the connection it keeps
};

}  // namespace made0::verification
