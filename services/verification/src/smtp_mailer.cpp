#include "made0/verification/smtp_mailer.hpp"

#include <curl/curl.h>

#include <cstring>
#include <optional>

namespace made0::verification {
namespace {

struct Upload {
  const std::string* data;
  const std::function<Status()>* before_commit;
  std::size_t offset = 0;
  bool committed = false;      // before_commit ran and succeeded
  std::optional<Error> error;  // before_commit failed
};

// ReadBody hands the message to curl. At its end, before telling curl so (after which curl sends
// the "<CRLF>.<CRLF>" that makes the server commit the message), it runs before_commit.
std::size_t ReadBody(char* buffer, std::size_t size, std::size_t nitems, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t room = size * nitems;
  const std::size_t n = std::min(room, up->data->size() - up->offset);
  if (n == 0 && !up->committed) {
    try {
      Status st = (*up->before_commit)();
      if (!st) up->error = st.error();
    } catch (const std::exception& e) {
      up->error = Error::Unavailable(e.what());
    }
    if (up->error) return CURL_READFUNC_ABORT;
    up->committed = true;
    return 0;
  }
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

}  // namespace

SmtpMailer::SmtpMailer(std::string url, std::string from, std::string envelope_from, Random& rng,
                       const Clock& clock, std::chrono::milliseconds timeout)
    : url_(std::move(url)),
      from_(std::move(from)),
      envelope_from_(std::move(envelope_from)),
      rng_(rng),
      clock_(clock),
      timeout_(timeout) {}

Status SmtpMailer::Send(const Mail& mail, const std::function<Status()>& before_commit) {
  const std::string wire = RenderMime(mail, from_, clock_.Now(), "made0-" + RandomHex(rng_, 12));
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error::Internal("curl_easy_init failed");
  Upload upload{&wire, &before_commit};
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + mail.to + ">").c_str());
  const std::string mail_from = "<" + envelope_from_ + ">";
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  const CURLcode rc = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (upload.error) return *upload.error;
  if (rc != CURLE_OK) {
    return Error::Unavailable(std::string("smtp: ") + curl_easy_strerror(rc) +
                              (response ? " (reply " + std::to_string(response) + ")" : ""));
  }
  return Status::Ok();
}

}  // namespace made0::verification
