#include "made0/ctl/app.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

#include "commands.hpp"
#include "made0/http/client.hpp"

namespace made0::ctl {
namespace {

using internal::Output;

constexpr const char* kResources =
    "regions, vpcs, subnets, security-groups (sg), clusters, instances (i), sagas";

// Args collects everything the CLI can be given; only the chosen command's part is used.
struct Args {
  std::string server;
  std::string output = "table";
  std::string resource;
  std::string id;
  std::string region, vpc, cluster, owner, status, type;
  int limit = 0;
  internal::CreateInstanceArgs create;
  bool wait = false;
  std::string timeout;
  // Filled by Validate from the above.
  Kind kind = Kind::kRegion;
  Filters filters;
  internal::WaitArgs until;
};

CLI::App* AddResource(CLI::App* cmd, Args& a, const std::string& what) {
  cmd->add_option("resource", a.resource, what)->required();
  return cmd;
}

CLI::App* AddWait(CLI::App* cmd, Args& a, const char* flag, const char* default_timeout) {
  cmd->add_flag(flag, a.wait, "follow the saga, printing its events, until it finishes");
  cmd->add_option("--timeout", a.timeout,
                  std::string("how long to wait (e.g. 90s, 5m)") +
                      (*default_timeout ? std::string(", default ") + default_timeout : ""));
  return cmd;
}

// Optional turns an option that was given into a filter value.
std::optional<std::string> Optional(const CLI::App* cmd, const char* name,
                                    const std::string& value) {
  if (cmd->get_option(name)->count() == 0) return std::nullopt;
  return value;
}

int Usage(std::ostream& err, const std::string& message, const std::string& command) {
  err << "error: " << message << "\nRun 'made0ctl " << command << "--help' for usage.\n";
  return kExitUsage;
}

// Define declares the commands and their flags, bound to a.
void Define(CLI::App& app, Args& a) {
  app.require_subcommand(1);
  app.fallthrough();  // --server and -o may follow the command, as with kubectl
  app.add_option("--server", a.server,
                 "infra's URL; otherwise MADE0_INFRA_URL, else the registry at MADE0_REDIS_URL, "
                 "else the MADE0_REDIS_URL in $MADE0_STACK_ENV or .data/stack/stack.env");
  app.add_option("-o,--output", a.output, "table (default), wide (more columns) or json (raw)")
      ->check(CLI::IsMember({"table", "wide", "json"}));

  auto* get = app.add_subcommand("get", std::string("List resources: ") + kResources);
  AddResource(get, a, "what to list");
  get->add_option("--region", a.region, "vpcs, instances: only in this region");
  get->add_option("--vpc", a.vpc, "subnets, security-groups: only in this VPC (ID)");
  get->add_option("--cluster", a.cluster, "instances: only of this cluster");
  get->add_option("--owner", a.owner, "clusters, instances: only of this owner");
  get->add_option("--status", a.status,
                  "sagas: running, compensating, completed, compensated, compensation_failed");
  get->add_option("--type", a.type, "sagas: CreateInstance, TerminateInstance, EnsureCluster");
  get->add_option("--limit", a.limit, "sagas: at most this many, newest first")
      ->check(CLI::PositiveNumber);

  auto* describe =
      app.add_subcommand("describe", "Show one vpc, subnet, security-group, instance or saga");
  AddResource(describe, a, "vpc, subnet, security-group, instance or saga");
  describe->add_option("id", a.id, "its ID (or, for vpcs, subnets and groups, its name)")
      ->required();

  auto* create = app.add_subcommand("create", "Create an instance (starts a CreateInstance saga)");
  AddResource(create, a, "instance");
  create->add_option("--cluster", a.create.cluster, "the cluster it joins")->required();
  create->add_option("--region", a.create.region, "its region")->required();
  create->add_option("--az", a.create.availability_zone,
                     "its availability zone (default: spread across the region's)");
  create->add_option("--category", a.create.category, "small, medium or large (default small)");
  create->add_option("--image", a.create.image, "test or etcd (default test)");
  create->add_option("--owner", a.create.owner, "who the cluster belongs to (default $USER)");
  AddWait(create, a, "--wait", "120s");

  auto* del = app.add_subcommand("delete", "Terminate an instance (a TerminateInstance saga)");
  AddResource(del, a, "instance");
  del->add_option("id", a.id, "the instance's ID")->required();
  AddWait(del, a, "--wait", "120s");

  auto* retry = app.add_subcommand("retry", "Retry a saga left compensation_failed");
  AddResource(retry, a, "saga");
  retry->add_option("id", a.id, "the saga's ID")->required();
  AddWait(retry, a, "--wait", "120s");

  auto* logs = app.add_subcommand("logs", "Print a saga's events (-f: until it finishes)");
  AddResource(logs, a, "saga");
  logs->add_option("id", a.id, "the saga's ID")->required();
  AddWait(logs, a, "-f,--follow", "");
}

// Validate checks what CLI11 cannot (resource names, which flags apply) and fills a.kind,
// a.filters and a.until; it returns the usage error, or "" when the command can run.
std::string Validate(const CLI::App& cmd, Args& a, const Env& env) {
  const std::string name = cmd.get_name();
  auto kind = ResolveKind(a.resource);
  if (!kind) return kind.error().message;
  a.kind = *kind;
  if ((name == "create" || name == "delete") && a.kind != Kind::kInstance) {
    return name + " takes instance";
  }
  if ((name == "retry" || name == "logs") && a.kind != Kind::kSaga) return name + " takes saga";
  if (name == "describe" && (a.kind == Kind::kRegion || a.kind == Kind::kCluster)) {
    return "describe takes a vpc, subnet, security-group, instance or saga; list " +
           std::string(InfoOf(a.kind).plural) + " with: made0ctl get " +
           std::string(InfoOf(a.kind).plural);
  }
  if (name == "get") {
    a.filters = {Optional(&cmd, "--region", a.region),   Optional(&cmd, "--vpc", a.vpc),
                 Optional(&cmd, "--cluster", a.cluster), Optional(&cmd, "--owner", a.owner),
                 Optional(&cmd, "--status", a.status),   Optional(&cmd, "--type", a.type)};
    if (cmd.get_option("--limit")->count() > 0) a.filters.limit = a.limit;
    if (auto path = ListPath(a.kind, a.filters); !path) return path.error().message;
  }
  a.until.wait = a.wait;
  if (!a.timeout.empty()) {
    a.until.timeout = ParseDuration(a.timeout);
    if (!a.until.timeout)
      return "--timeout: \"" + a.timeout + "\" is not a duration like 90s or 5m";
  } else if (name != "logs") {
    a.until.timeout = std::chrono::seconds(120);
  }
  if (a.create.owner.empty()) a.create.owner = env.Get("USER").value_or("");
  if (a.create.owner.empty()) a.create.owner = "made0ctl";
  return "";
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        const AppEnv& app_env) {
  Args a;
  CLI::App app{"made0ctl: look at and drive made0's infrastructure (the infra service).",
               "made0ctl"};
  Define(app, a);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const auto chosen = app.get_subcommands();
    return Usage(err, e.what(), chosen.empty() ? "" : chosen.front()->get_name() + " ");
  }
  const CLI::App& cmd = *app.get_subcommands().front();
  const std::string name = cmd.get_name();
  if (std::string usage = Validate(cmd, a, app_env.env); !usage.empty()) {
    return Usage(err, usage, name + " ");
  }

  auto choice = ChooseEndpoint(a.server.empty() ? std::nullopt : std::optional(a.server),
                               app_env.env, app_env.read_file);
  if (!choice) {
    err << FormatError(choice.error()) << "\n";
    return kExitFailed;
  }
  auto endpoint = MakeEndpoint(*choice);
  if (!endpoint) {
    err << FormatError(endpoint.error()) << "\n";
    return kExitFailed;
  }
  http::Client http(2);
  InfraClient infra(**endpoint, http);
  const Output output = a.output == "json"   ? Output::kJson
                        : a.output == "wide" ? Output::kWide
                                             : Output::kTable;
  internal::Context ctx{infra, out, err, app_env.clock, app_env.sleep, app_env.poll_interval,
                        output};
  if (name == "get") return internal::GetResources(ctx, a.kind, a.filters);
  if (name == "describe") return internal::Describe(ctx, a.kind, a.id);
  if (name == "create") return internal::CreateInstance(ctx, a.create, a.until);
  if (name == "delete") return internal::DeleteInstance(ctx, a.id, a.until);
  if (name == "retry") return internal::RetrySaga(ctx, a.id, a.until);
  return internal::Logs(ctx, a.id, a.until);
}

}  // namespace made0::ctl
