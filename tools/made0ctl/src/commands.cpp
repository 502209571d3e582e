#include "commands.hpp"

#include "json_fields.hpp"
#include "made0/ctl/describe.hpp"
#include "made0/ctl/saga_view.hpp"
#include "made0/ctl/views.hpp"

namespace made0::ctl::internal {
namespace {

using nlohmann::json;

void PrintJson(Context& ctx, const json& value) {
  ctx.out << value.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

// ListOf reads a list answer's array (for describe by name).
Result<json> ListOf(Context& ctx, Kind kind, const std::string& path) {
  auto answer = ctx.infra.Call("GET", path);
  if (!answer) return std::move(answer).error();
  const json* list = internal::List(*answer, InfoOf(kind).list_key);
  if (!list) {
    return Error::Internal("infra's answer to GET " + path + " has no \"" +
                           std::string(InfoOf(kind).list_key) + "\" list");
  }
  return *list;
}

// Lookup fetches one object by ID (or, for kinds without GET by ID or a non-ID, by name).
Result<json> Lookup(Context& ctx, Kind kind, const std::string& ref) {
  const bool by_id = (kind == Kind::kVpc && ref.starts_with("vpc-")) || kind == Kind::kInstance ||
                     kind == Kind::kSaga;
  if (by_id) return ctx.infra.Call("GET", ObjectPath(kind, ref));
  auto list = ListOf(ctx, kind, "/v1/" + std::string(InfoOf(kind).plural));
  if (!list) return std::move(list).error();
  return FindObject(*list, ref, InfoOf(kind).singular);
}

// Started handles the 202 {"saga_id","saga"} of create/delete: prints the ID, then follows.
int Started(Context& ctx, const json& answer, const WaitArgs& wait) {
  const std::string id = Text(answer, "saga_id");
  if (id.empty()) return Fail(ctx, Error::Internal("infra's answer has no saga_id"));
  if (!wait.wait) {
    if (ctx.output == Output::kJson) {
      PrintJson(ctx, answer);
    } else {
      ctx.out << id << "\n";
    }
    return kExitOk;
  }
  if (ctx.output != Output::kJson) ctx.out << id << "\n" << std::flush;
  auto saga = Follow(ctx, id, {.timeout = wait.timeout, .print = ctx.output != Output::kJson});
  if (!saga) return Fail(ctx, saga.error());
  if (ctx.output == Output::kJson) PrintJson(ctx, *saga);
  return ExitCodeForStatus(Text(*saga, "status"));
}

}  // namespace

int Fail(Context& ctx, const Error& error) {
  ctx.err << FormatError(error) << "\n" << std::flush;
  return kExitFailed;
}

int GetResources(Context& ctx, Kind kind, const Filters& filters) {
  auto path = ListPath(kind, filters);
  if (!path) {
    ctx.err << FormatError(path.error()) << "\n";
    return kExitUsage;
  }
  auto answer = ctx.infra.Call("GET", *path);
  if (!answer) return Fail(ctx, answer.error());
  if (ctx.output == Output::kJson) {
    PrintJson(ctx, *answer);
    return kExitOk;
  }
  auto table = ListTable(kind, *answer, ctx.clock.Now());
  if (!table) return Fail(ctx, table.error());
  ctx.out << RenderTable(*table, ctx.output == Output::kWide);
  return kExitOk;
}

int Describe(Context& ctx, Kind kind, const std::string& ref) {
  auto object = Lookup(ctx, kind, ref);
  if (!object) return Fail(ctx, object.error());
  if (ctx.output == Output::kJson) {
    PrintJson(ctx, *object);
    return kExitOk;
  }
  const SystemTime now = ctx.clock.Now();
  const std::string id = Text(*object, "id");
  switch (kind) {
    case Kind::kVpc: {
      auto subnets = ctx.infra.Call("GET", "/v1/subnets" + QueryString({{"vpc_id", id}}));
      if (!subnets) return Fail(ctx, subnets.error());
      ctx.out << DescribeVpc(*object, *subnets, now);
      break;
    }
    case Kind::kSubnet: {
      auto addresses = ctx.infra.Call("GET", ObjectPath(kind, id) + "/addresses");
      if (!addresses) return Fail(ctx, addresses.error());
      ctx.out << DescribeSubnet(*object, *addresses, now);
      break;
    }
    case Kind::kSecurityGroup:
      ctx.out << DescribeSecurityGroup(*object, now);
      break;
    case Kind::kInstance:
      ctx.out << DescribeInstance(*object, now);
      break;
    case Kind::kSaga:
      ctx.out << DescribeSaga(*object, now, ctx.output == Output::kWide);
      break;
    case Kind::kRegion:
    case Kind::kCluster:
      break;  // refused as bad usage before any request (app.cpp)
  }
  return kExitOk;
}

int CreateInstance(Context& ctx, const CreateInstanceArgs& args, const WaitArgs& wait) {
  json body = {{"owner", args.owner}, {"cluster", args.cluster}, {"region", args.region}};
  if (!args.availability_zone.empty()) body["availability_zone"] = args.availability_zone;
  if (!args.category.empty()) body["category"] = args.category;
  if (!args.image.empty()) body["image"] = args.image;
  auto answer = ctx.infra.Call("POST", "/v1/instances", body);
  if (!answer) return Fail(ctx, answer.error());
  return Started(ctx, *answer, wait);
}

int DeleteInstance(Context& ctx, const std::string& id, const WaitArgs& wait) {
  auto answer = ctx.infra.Call("DELETE", ObjectPath(Kind::kInstance, id));
  if (!answer) return Fail(ctx, answer.error());
  return Started(ctx, *answer, wait);
}

int RetrySaga(Context& ctx, const std::string& id, const WaitArgs& wait) {
  // The events from before the retry are history; --wait shows only what the retry does.
  auto before = ctx.infra.Call("GET", ObjectPath(Kind::kSaga, id));
  if (!before) return Fail(ctx, before.error());
  auto answer = ctx.infra.Call("POST", ObjectPath(Kind::kSaga, id) + "/retry");
  if (!answer) return Fail(ctx, answer.error());
  if (!wait.wait) {
    if (ctx.output == Output::kJson) {
      PrintJson(ctx, *answer);
    } else {
      ctx.out << id << " retrying (status " << Text(*answer, "status") << ")\n";
    }
    return kExitOk;
  }
  const bool print = ctx.output != Output::kJson;
  auto saga =
      Follow(ctx, id, {.after_seq = LastSeq(*before, -1), .timeout = wait.timeout, .print = print});
  if (!saga) return Fail(ctx, saga.error());
  if (!print) PrintJson(ctx, *saga);
  return ExitCodeForStatus(Text(*saga, "status"));
}

int Logs(Context& ctx, const std::string& id, const WaitArgs& follow) {
  if (follow.wait) {
    const bool print = ctx.output != Output::kJson;
    auto saga = Follow(ctx, id, {.timeout = follow.timeout, .print = print});
    if (!saga) return Fail(ctx, saga.error());
    if (!print) PrintJson(ctx, Get(*saga, "events"));
    return ExitCodeForStatus(Text(*saga, "status"));
  }
  auto saga = ctx.infra.Call("GET", ObjectPath(Kind::kSaga, id));
  if (!saga) return Fail(ctx, saga.error());
  if (ctx.output == Output::kJson) {
    PrintJson(ctx, Get(*saga, "events"));
    return kExitOk;
  }
  const auto start = SagaStart(*saga);
  for (const json* e : EventsAfter(*saga, -1)) ctx.out << FormatEventLine(*e, start);
  return kExitOk;
}

}  // namespace made0::ctl::internal
