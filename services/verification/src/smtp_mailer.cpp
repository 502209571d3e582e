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

struct SmtpMailer::Handle {
  CURL* curl = curl_easy_init();
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);  // sends QUIT on a kept connection
  }
};

SmtpMailer::SmtpMailer(std::string url, std::string from, std::string envelope_from, Random& rng,
                       const Clock& clock, std::chrono::milliseconds timeout)
    : url_(std::move(url)),
      from_(std::move(from)),
      envelope_from_(std::move(envelope_from)),
      rng_(rng),
      clock_(clock),
      timeout_(timeout),
      handle_(std::make_unique<Handle>()) {}

SmtpMailer::~SmtpMailer() = default;

Status SmtpMailer::Send(const Mail& mail, const std::function<Status()>& before_commit) {
  const std::string wire = RenderMime(mail, from_, clock_.Now(), "made0-" + RandomHex(rng_, 12));
  const std::string rcpt_address = "<" + mail.to + ">";
  const std::string mail_from = "<" + envelope_from_ + ">";
  std::lock_guard lock(mu_);
  CURL* curl = handle_->curl;
  if (curl == nullptr) return Error::Internal("curl_easy_init failed");
  CURLcode rc = CURLE_OK;
  long response = 0;
  Upload upload{&wire, &before_commit};
  for (int attempt = 0; attempt < 2; ++attempt) {
    upload = Upload{&wire, &before_commit};
    curl_slist* rcpt = curl_slist_append(nullptr, rcpt_address.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, attempt > 0 ? 1L : 0L);
    rc = curl_easy_perform(curl);
    long new_connections = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_slist_free_all(rcpt);
    // Only a kept connection that failed before the message was committed is worth a second try:
    // the server may have closed it while it sat idle (restarted, or its idle timeout).
    const bool stale = rc != CURLE_OK && new_connections == 0 && !upload.committed && !upload.error;
    if (!stale) break;
  }
  if (upload.error) return *upload.error;
  if (rc != CURLE_OK) {
    return Error::Unavailable(std::string("smtp: ") + curl_easy_strerror(rc) +
                              (response ? " (reply " + std::to_string(response) + ")" : ""));
  }
  return Status::Ok();
}

}  // namespace made0::verification
