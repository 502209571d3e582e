#include "made0/http/client.hpp"

#include <curl/curl.h>

#include <mutex>
#include <vector>

namespace made0::http {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const char* line) {
  if (curl_slist* head = curl_slist_append(list.get(), line)) {
    (void)list.release();
    list.reset(head);
  }
}

struct Exchange {
  ClientResponse response;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  ex->response.body.append(data, size * count);
  return size * count;
}

std::string_view TrimLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    ex->response.headers.clear();  // a new response starts (after 100 Continue, for one)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    ex->response.headers.emplace_back(std::string(TrimLine(line.substr(0, colon))),
                                      std::string(TrimLine(line.substr(colon + 1))));
  }
  return size * count;
}

}  // namespace

// Client::Impl keeps idle easy handles; each holds its own live connections, so taking one from
// the pool reuses a kept-alive connection without sharing a handle between threads.
class Client::Impl {
 public:
  explicit Impl(std::size_t max_idle) : max_idle_(max_idle) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }
  ~Impl() {
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
      if (idle_.size() < max_idle_) {
        idle_.push_back(h);
        return;
      }
    }
    curl_easy_cleanup(h);
  }

 private:
  std::mutex mu_;
  std::vector<CURL*> idle_;
  std::size_t max_idle_;
};

Client::Client(std::size_t max_idle_handles) : impl_(std::make_unique<Impl>(max_idle_handles)) {}
Client::~Client() = default;

Result<ClientResponse> Client::Send(const ClientRequest& request) {
  CURL* h = impl_->Acquire();
  if (h == nullptr) return made0::Error::Internal("curl_easy_init failed");
  struct Returner {
    Impl* impl;
    CURL* h;
    ~Returner() { impl->Release(h); }
  } returner{impl_.get(), h};

  curl_easy_reset(h);  // keeps the handle's live connections
  char error_text[CURL_ERROR_SIZE] = {};
  Exchange ex;
  long timeout_ms = static_cast<long>(request.timeout.count());
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM tricks in a threaded process
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  Slist headers;
  // Without this curl waits up to a second for "100 Continue" before sending a large body. Not on
  // signed requests: libcurl 7.88 lists the removed header among the signed ones, which a
  // server then finds missing (signed requests here are small EC2 calls, which curl sends
  // without Expect anyway).
  if (!request.aws_sigv4) Append(headers, "Expect:");
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling of a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    Append(headers, line.c_str());
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (request.aws_sigv4) {
    // Username and password apart (not CURLOPT_USERPWD's "key:secret"), so that no character of
    // either is ever taken as the separator.
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, request.aws_sigv4->scope.c_str());
    curl_easy_setopt(h, CURLOPT_USERNAME, request.aws_sigv4->access_key_id.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, request.aws_sigv4->secret_access_key.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  if (request.aws_sigv4) {  // credentials must not outlive the call in an idle handle
    curl_easy_setopt(h, CURLOPT_USERNAME, nullptr);
    curl_easy_setopt(h, CURLOPT_PASSWORD, nullptr);
  }
  if (rc != CURLE_OK) {
    std::string what = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
    std::string message = request.method + " " + request.url + ": " + what;
    if (rc == CURLE_COULDNT_CONNECT) message.insert(0, kConnectFailedPrefix);
    if (rc == CURLE_OPERATION_TIMEDOUT) message.insert(0, kTimedOutPrefix);
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
      return made0::Error::Invalid("url", std::move(message));
    }
    return made0::Error::Unavailable(std::move(message));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  ex.response.status = static_cast<int>(status);
  return std::move(ex.response);
}

bool IsTimeout(const made0::Error& error) {
  return error.code == ErrorCode::kUnavailable &&
         std::string_view(error.message).substr(0, kTimedOutPrefix.size()) == kTimedOutPrefix;
}

bool IsConnectFailure(const made0::Error& error) {
  return error.code == ErrorCode::kUnavailable &&
         std::string_view(error.message).substr(0, kConnectFailedPrefix.size()) ==
             kConnectFailedPrefix;
}

}  // namespace made0::http
