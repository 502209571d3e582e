// frontend: the web console on port 3000 and its /api. See made0/frontend/console_api.hpp.
#include "made0/core/log.hpp"
#include "made0/frontend/console_api.hpp"
#include "made0/frontend/infra_routes.hpp"
#include "made0/frontend/static_files.hpp"
#include "made0/http/client.hpp"
#include "made0/runtime/service.hpp"
#include "made0/tracing/trace_query.hpp"

int main(int argc, char** argv) {
  using namespace made0;
  ProcessEnv env;
  runtime::ServiceRuntime rt("frontend", env, /*default_http_port=*/3000);
  auto& config = rt.config();
  const std::string web_dir =
      config.String("MADE0_WEB_DIR", MADE0_DEFAULT_WEB_DIR, "directory of the built console");
  const bool secure =
      config.Bool("MADE0_COOKIE_SECURE", false,
                  "mark cookies Secure (set when the console is served over https)");

  frontend::StaticFiles web;
  if (Status st = web.Load(web_dir); !st) {
    log::Error("cannot load the console", {{"error", st.error().message}});
    return 1;
  }
  http::Client http_client;
  runtime::ServiceClient services(rt.discovery(), http_client, rt.spans(),
                                  {rt.service(), rt.instance_id()}, rt.random(), rt.clock());
  tracing::TraceQuery traces(rt.postgres());
  frontend::ConsoleApi api(services, rt.discovery(), traces, rt.random(), {secure});
  api.AddRoutes(rt.router());
  // Static files and the console's own polling (telemetry, the Infrastructure page's reads) would
  // drown the traces of what people actually do.
  rt.SetTraced([](std::string_view route) {
    return route != "/*" && route != "/api/services" && route.rfind("/api/traces", 0) != 0 &&
           !frontend::IsInfraRead(route);
  });
  rt.router().Add("GET", "/*", [&](http::Request& r) { return web.Serve(r.path); },
                  {.blocking = false});
  return rt.Run(argc, argv);
}
