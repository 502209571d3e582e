#include "ec2_client.hpp"

#include <curl/curl.h>

#include <mutex>
#include <vector>

#include "ec2_errors.hpp"

namespace made0::cloud::aws {
namespace {

constexpr std::size_t kMaxIdleHandles = 8;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& line) {
  if (curl_slist* head = curl_slist_append(list.get(), line.c_str())) {
    (void)list.release();
    list.reset(head);
  }
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

bool ValidRegion(std::string_view region) {
  if (region.empty() || region.size() > 32) return false;
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

// Pool keeps idle easy handles, each with its kept-alive connection to EC2, so a busy provider
// does not pay a TLS handshake per call; a handle is never shared between threads.
class Ec2Client::Pool {
 public:
  Pool() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~Pool() {
    for (CURL* h : idle_) curl_easy_cleanup(h);
    curl_global_cleanup();
  }
  CURL* Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* h) {
    {
      std::lock_guard lock(mu_);
      if (idle_.size() < kMaxIdleHandles) {
        idle_.push_back(h);
        return;
      }
    }
    curl_easy_cleanup(h);
  }

 private:
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

Ec2Client::Ec2Client(AwsConfig config)
    : config_(std::move(config)), pool_(std::make_unique<Pool>()) {}
Ec2Client::~Ec2Client() = default;

Result<std::string> Ec2Client::Call(std::string_view region, const Params& params) {
  const std::string action = params.empty() ? std::string() : params.front().second;
  // The region goes into the host name and the signature's scope: refuse anything odd.
  if (!ValidRegion(region)) {
    return Error::Invalid("region", "invalid AWS region '" + std::string(region) + "'");
  }
  CURL* h = pool_->Acquire();
  if (h == nullptr) return Error::Internal("curl_easy_init failed");
  struct Returner {
    Pool* pool;
    CURL* h;
    ~Returner() { pool->Release(h); }
  } returner{pool_.get(), h};
  curl_easy_reset(h);  // keeps the handle's live connections

  const std::string url = EndpointFor(config_, region) + "/";
  const std::string sigv4 = "aws:amz:" + std::string(region) + ":ec2";
  const std::string body = FormEncode(params);
  const long timeout_ms = static_cast<long>(config_.timeout.count());
  char error_text[CURL_ERROR_SIZE] = {};
  std::string response;

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  // SigV4 by libcurl: it adds X-Amz-Date and Authorization, hashing the body into the signature.
  // Username and password are set apart (not CURLOPT_USERPWD's "key:secret") so that no
  // character of either is ever taken as the separator.
  curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, config_.access_key_id.c_str());
  curl_easy_setopt(h, CURLOPT_PASSWORD, config_.secret_access_key.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));

  Slist headers;
  // Set explicitly so that it is part of what is signed (libcurl signs the headers given here).
  Append(headers, "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
  if (!config_.session_token.empty()) {
    Append(headers, "x-amz-security-token: " + config_.session_token);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode rc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  // Credentials must not outlive the call in an idle handle.
  curl_easy_setopt(h, CURLOPT_USERNAME, nullptr);
  curl_easy_setopt(h, CURLOPT_PASSWORD, nullptr);
  if (rc != CURLE_OK) {
    // curl's messages name the host and the failure, never the credentials or the body.
    const std::string what = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
    std::string message = "EC2 " + action + " at " + url + ": " + what;
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
      return Error::Invalid("endpoint", std::move(message));
    }
    return Error::Unavailable(std::move(message));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return response;
  return ErrorFromResponse(action, static_cast<int>(status), response);
}

}  // namespace made0::cloud::aws
