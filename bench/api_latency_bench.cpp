// GET /api/me with a session cookie at a fixed 1,000 requests/s: latency percentiles, beside
// GET /healthz on the same console at the same rate as the reference (the cost of the HTTP path
// alone), measured in the same run.
//
//   api_latency_bench <console-url> <maildir> [rate=1000] [seconds=10]
#include <cstdio>
#include <thread>

#include "load.hpp"
#include "made0/testing/system.hpp"

using namespace made0;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <console-url> <maildir> [rate] [seconds]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const double rate = argc > 3 ? std::atof(argv[3]) : 1000;
  const int seconds = argc > 4 ? std::atoi(argv[4]) : 10;

  // A verified user with a session.
  testing::ConsoleClient c(url);
  const std::string email = testing::UniqueEmail("bench-me");
  auto signup = c.Post("/api/signup", {{"email", email}, {"password", "password1"}});
  if (!signup || signup->status != 202) return std::fprintf(stderr, "sign-up failed\n"), 1;
  testing::Maildir mail(argv[2]);
  auto mails = mail.WaitFor(email, 1, std::chrono::seconds(30));
  if (mails.empty()) return std::fprintf(stderr, "no mail\n"), 1;
  (void)c.Post("/api/verify", {{"token", *testing::Maildir::TokenIn(mails[0])}});
  auto login = c.Post("/api/login", {{"email", email}, {"password", "password1"}});
  if (!login || login->status != 200) return std::fprintf(stderr, "login failed\n"), 1;
  const std::string cookie = "made0_session=" + *c.CookieValue("made0_session");

  const int workers = 16;
  std::vector<std::unique_ptr<http::Client>> clients;
  for (int i = 0; i < workers; ++i) clients.push_back(std::make_unique<http::Client>(2));
  auto get = [&](const std::string& path, bool with_cookie) {
    return [&, path, with_cookie](int w) {
      http::ClientRequest req{.method = "GET", .url = url + path};
      if (with_cookie) req.headers = {{"Cookie", cookie}};
      auto r = clients[w]->Send(req);
      return r && r->status == 200;
    };
  };
  // Warm up connections and caches.
  (void)bench::RunFixedRate(rate, std::chrono::seconds(2), workers, get("/api/me", true));
  auto health =
      bench::RunFixedRate(rate, std::chrono::seconds(seconds), workers, get("/healthz", false));
  auto me = bench::RunFixedRate(rate, std::chrono::seconds(seconds), workers, get("/api/me", true));
  bench::PrintSummary("GET /healthz (reference)", health);
  bench::PrintSummary("GET /api/me (session)", me);
  std::printf("RATIO p99 /api/me / p99 /healthz = %.2f at %.0f requests/s; /api/me p99 = %.2f ms\n",
              me.Percentile(0.99) / health.Percentile(0.99), rate, me.Percentile(0.99) / 1000);
  return me.errors == 0 ? 0 : 1;
}
