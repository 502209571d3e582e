#include "made0/frontend/infra_routes.hpp"

#include <algorithm>
#include <array>

#include "made0/core/encoding.hpp"

namespace made0::frontend {
namespace {

constexpr std::size_t kMaxQueryValue = 256;

constexpr std::array kRoutes = {
    InfraRoute{"GET", "/api/infra/regions", "/v1/regions"},
    InfraRoute{"GET", "/api/infra/vpcs", "/v1/vpcs"},
    InfraRoute{"GET", "/api/infra/subnets", "/v1/subnets"},
    InfraRoute{"GET", "/api/infra/subnets/{id}/addresses", "/v1/subnets/{id}/addresses",
               InfraIdKind::kSubnet},
    InfraRoute{"GET", "/api/infra/security-groups", "/v1/security-groups"},
    InfraRoute{"GET", "/api/infra/clusters", "/v1/clusters"},
    InfraRoute{"GET", "/api/infra/instances", "/v1/instances"},
    InfraRoute{"GET", "/api/infra/instances/{id}", "/v1/instances/{id}", InfraIdKind::kInstance},
    InfraRoute{"GET", "/api/infra/sagas", "/v1/sagas"},
    InfraRoute{"GET", "/api/infra/sagas/{id}", "/v1/sagas/{id}", InfraIdKind::kSaga},
    InfraRoute{"POST", "/api/infra/sagas/{id}/retry", "/v1/sagas/{id}/retry", InfraIdKind::kSaga},
};

struct IdShape {
  std::string_view prefix;  // including the '-'
  std::size_t hex_digits;
  const char* field;
};

IdShape ShapeOf(InfraIdKind kind) {
  switch (kind) {
    case InfraIdKind::kSubnet:
      return {"subnet-", 17, "subnet_id"};
    case InfraIdKind::kInstance:
      return {"i-", 17, "instance_id"};
    case InfraIdKind::kSaga:
      return {"saga-", 16, "saga_id"};
    case InfraIdKind::kNone:
      break;
  }
  return {"", 0, "id"};
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::span<const InfraRoute> InfraRoutes() { return kRoutes; }

bool IsInfraRead(std::string_view route) {
  return std::any_of(kRoutes.begin(), kRoutes.end(), [route](const InfraRoute& r) {
    return r.method == "GET" && r.pattern == route;
  });
}

Status CheckInfraId(InfraIdKind kind, std::string_view id) {
  const IdShape shape = ShapeOf(kind);
  if (kind == InfraIdKind::kNone) return Error::Internal("this route takes no ID");
  const bool ok = id.size() == shape.prefix.size() + shape.hex_digits &&
                  id.starts_with(shape.prefix) &&
                  std::all_of(id.begin() + static_cast<std::ptrdiff_t>(shape.prefix.size()),
                              id.end(), IsLowerHex);
  if (ok) return Status::Ok();
  return Error::Invalid(shape.field, std::string(shape.field) + " must be '" +
                                         std::string(shape.prefix) + "' followed by " +
                                         std::to_string(shape.hex_digits) +
                                         " lowercase hex digits");
}

Result<std::string> InfraUpstreamPath(const InfraRoute& route, std::string_view id) {
  std::string path(route.upstream);
  if (route.id == InfraIdKind::kNone) return path;
  if (Status st = CheckInfraId(route.id, id); !st) return st.error();
  const auto at = path.find("{id}");
  if (at == std::string::npos) return Error::Internal("route has no {id}");
  path.replace(at, 4, id);
  return path;
}

Result<std::string> InfraQuery(const http::StringMap& query) {
  std::string out;
  for (const auto& [name, value] : query) {  // StringMap is ordered: the output is stable
    if (value.empty() || std::find(std::begin(kInfraQueryParams), std::end(kInfraQueryParams),
                                   name) == std::end(kInfraQueryParams)) {
      continue;
    }
    if (value.size() > kMaxQueryValue) {
      return Error::Invalid(
          name, name + " must be at most " + std::to_string(kMaxQueryValue) + " characters");
    }
    out += out.empty() ? '?' : '&';
    out += name + "=" + PercentEncode(value);
  }
  return out;
}

}  // namespace made0::frontend
