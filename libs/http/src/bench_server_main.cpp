// made0_http_bench_server [port] [io_threads]: serves GET /healthz ("ok", inline) and
// GET /blocking ("ok", on the worker pool) until SIGINT or SIGTERM. For wrk against nginx.
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "made0/http/server.hpp"

int main(int argc, char** argv) {
  using made0::http::Request;
  using made0::http::Response;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts

  made0::http::Router router;
  router.Add("GET", "/healthz", [](Request&) { return Response::Text(200, "ok"); },
             {.blocking = false});
  router.Add("GET", "/blocking", [](Request&) { return Response::Text(200, "ok"); });
  made0::http::ServerOptions options;
  options.port = argc > 1 ? std::atoi(argv[1]) : 0;
  options.io_threads = argc > 2 ? std::atoi(argv[2]) : 1;
  made0::http::Server server(options, router);
  if (made0::Status s = server.Start(); !s) {
    std::fprintf(stderr, "start: %s\n", s.error().message.c_str());
    return 1;
  }
  std::printf("%d\n", server.Port());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  server.Stop(std::chrono::seconds(2));
  return 0;
}
