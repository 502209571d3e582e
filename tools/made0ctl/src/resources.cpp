#include "made0/ctl/resources.hpp"

#include <algorithm>
#include <cctype>

#include "made0/core/encoding.hpp"

namespace made0::ctl {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// FilterSpec: one `get` flag, the query parameter it becomes, and the kinds that have it.
struct FilterSpec {
  std::string_view flag;
  std::string_view param;
  std::vector<Kind> kinds;
  std::optional<std::string> Filters::*member;
};

const std::vector<FilterSpec>& FilterSpecs() {
  static const std::vector<FilterSpec> specs = {
      {"--owner", "owner", {Kind::kCluster, Kind::kInstance}, &Filters::owner},
      {"--cluster", "cluster", {Kind::kInstance}, &Filters::cluster},
      {"--region", "region", {Kind::kVpc, Kind::kInstance}, &Filters::region},
      {"--vpc", "vpc_id", {Kind::kSubnet, Kind::kSecurityGroup}, &Filters::vpc},
      {"--status", "status", {Kind::kSaga}, &Filters::status},
      {"--type", "type", {Kind::kSaga}, &Filters::type},
  };
  return specs;
}

Error NotApplicable(std::string_view flag, Kind kind, const std::vector<Kind>& kinds) {
  std::string which;
  for (Kind k : kinds) which += std::string(which.empty() ? "" : ", ") += InfoOf(k).plural;
  return Error::Invalid(std::string(flag), std::string(flag) + " does not apply to " +
                                               std::string(InfoOf(kind).plural) + " (it filters " +
                                               which + ")");
}

}  // namespace

const std::vector<KindInfo>& AllKinds() {
  static const std::vector<KindInfo> kinds = {
      {Kind::kRegion, "regions", "region", "regions", {"reg"}},
      {Kind::kVpc, "vpcs", "vpc", "vpcs", {}},
      {Kind::kSubnet, "subnets", "subnet", "subnets", {"sn"}},
      {Kind::kSecurityGroup,
       "security-groups",
       "security-group",
       "security_groups",
       {"sg", "sgs", "securitygroup", "securitygroups"}},
      {Kind::kCluster, "clusters", "cluster", "clusters", {}},
      {Kind::kInstance, "instances", "instance", "instances", {"i", "inst"}},
      {Kind::kSaga, "sagas", "saga", "sagas", {}},
  };
  return kinds;
}

const KindInfo& InfoOf(Kind kind) {
  for (const KindInfo& info : AllKinds()) {
    if (info.kind == kind) return info;
  }
  return AllKinds().front();  // unreachable: every Kind is listed
}

Result<Kind> ResolveKind(std::string_view name) {
  const std::string lower = Lower(name);
  for (const KindInfo& info : AllKinds()) {
    if (lower == info.plural || lower == info.singular ||
        std::find(info.aliases.begin(), info.aliases.end(), lower) != info.aliases.end()) {
      return info.kind;
    }
  }
  std::string known;
  for (const KindInfo& info : AllKinds()) {
    known += std::string(known.empty() ? "" : ", ") += info.plural;
  }
  return Error::Invalid("resource",
                        "unknown resource type \"" + std::string(name) + "\"; one of: " + known);
}

Result<std::string> ListPath(Kind kind, const Filters& filters) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const FilterSpec& spec : FilterSpecs()) {
    const auto& value = filters.*spec.member;
    if (!value) continue;
    if (std::find(spec.kinds.begin(), spec.kinds.end(), kind) == spec.kinds.end()) {
      return NotApplicable(spec.flag, kind, spec.kinds);
    }
    params.emplace_back(spec.param, *value);
  }
  if (filters.limit) {
    if (kind != Kind::kSaga) return NotApplicable("--limit", kind, {Kind::kSaga});
    params.emplace_back("limit", std::to_string(*filters.limit));
  }
  return "/v1/" + std::string(InfoOf(kind).plural) + QueryString(params);
}

std::string ObjectPath(Kind kind, std::string_view id) {
  return "/v1/" + std::string(InfoOf(kind).plural) + "/" + PercentEncode(id);
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    out += out.empty() ? "?" : "&";
    out += PercentEncode(name) + "=" + PercentEncode(value);
  }
  return out;
}

}  // namespace made0::ctl
