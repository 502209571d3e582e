#include "network/pg_rows.hpp"

namespace made0::infra::network::detail {

ipam::Cidr ParseStoredCidr(const std::string& text) {
  auto cidr = ipam::ParseCidr(text);
  if (!cidr) throw pg::ResultError("stored block '" + text + "': " + cidr.error().message);
  return *cidr;
}

std::uint32_t ParseStoredAddress(const std::string& text) {
  auto address = ipam::ParseAddress(text);
  if (!address) throw pg::ResultError("stored address '" + text + "' is not IPv4");
  return *address;
}

Vpc VpcFrom(const pg::Row& row) {
  return Vpc{row.Get<std::string>("id"),
             row.Get<std::string>("region"),
             row.Get<std::string>("name"),
             ParseStoredCidr(row.Get<std::string>("cidr")),
             row.Get<std::optional<std::string>>("provider_id"),
             row.Get<SystemTime>("created_at")};
}

Subnet SubnetFrom(const pg::Row& row) {
  Subnet s{row.Get<std::string>("id"),
           row.Get<std::string>("vpc_id"),
           row.Get<std::string>("name"),
           row.Get<std::string>("availability_zone"),
           ParseStoredCidr(row.Get<std::string>("cidr")),
           row.Get<std::optional<std::string>>("provider_id"),
           row.Get<SystemTime>("created_at")};
  s.addresses_in_use = row.Get<std::int64_t>("addresses_in_use");
  return s;
}

AddressLease LeaseFrom(const pg::Row& row) {
  return AddressLease{row.Get<std::string>("subnet_id"),
                      ParseStoredAddress(row.Get<std::string>("address")),
                      row.Get<std::string>("owner"), row.Get<SystemTime>("created_at")};
}

IngressRule RuleFrom(const pg::Row& row) {
  IngressRule r;
  r.id = row.Get<std::string>("id");
  r.protocol = row.Get<std::string>("protocol");
  r.from_port = row.Get<int>("from_port");
  r.to_port = row.Get<int>("to_port");
  if (auto cidr = row.Get<std::optional<std::string>>("source_cidr")) {
    r.source_cidr = ParseStoredCidr(*cidr);
  }
  r.source_group_id = row.Get<std::optional<std::string>>("source_group_id");
  return r;
}

std::optional<Error> ConflictFromConstraint(const pg::QueryError& e, const std::string& what,
                                            const std::string& field) {
  const std::string& state = e.sqlstate();
  if (state == "23P01")
    return Error{ErrorCode::kConflict, what + " overlaps a block in use", field};
  if (state == "23505") return Error{ErrorCode::kConflict, what + " already exists", "name"};
  if (state == "23503") return Error{ErrorCode::kConflict, what + " is in use or gone", field};
  return std::nullopt;
}

}  // namespace made0::infra::network::detail
