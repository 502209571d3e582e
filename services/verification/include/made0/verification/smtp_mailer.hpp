#pragma once
// SmtpMailer sends a Mail over SMTP with libcurl (MADE0_SMTP_URL, e.g. smtp://127.0.0.1:2525).
// Each Send opens a connection, so a restarted SMTP server costs nothing to recover from; a
// refused connection, a timeout or a rejected recipient is Unavailable, and the caller retries.

#include <chrono>
#include <memory>
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

  Status Send(const Mail& mail, const std::function<Status()>& before_commit) override;

 private:
  std::string url_;
  std::string from_;
  std::string envelope_from_;
  Random& rng_;
  const Clock& clock_;
  std::chrono::milliseconds timeout_;
};

}  // namespace made0::verification
