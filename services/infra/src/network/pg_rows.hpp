#pragma once
// Private helpers of PgNetworkStore: decoding rows into network objects, and the one place
// where constraint violations that the row locks should have prevented become Conflicts.

#include <string>

#include "made0/core/status.hpp"
#include "made0/infra/network/model.hpp"
#include "made0/pg/errors.hpp"
#include "made0/pg/rows.hpp"

namespace made0::infra::network::detail {

// ParseStoredCidr reads a cidr column rendered as text; the database only holds valid blocks.
ipam::Cidr ParseStoredCidr(const std::string& text);
std::uint32_t ParseStoredAddress(const std::string& text);

// Column lists matching the decoders below.
inline constexpr const char* kVpcColumns =
    "id, region, name, cidr::text AS cidr, provider_id, created_at";
Vpc VpcFrom(const pg::Row& row);

// kSubnetColumns reads from alias s and counts addresses in use.
inline constexpr const char* kSubnetColumns =
    "s.id, s.vpc_id, s.name, s.availability_zone, s.cidr::text AS cidr, s.provider_id, "
    "s.created_at";
Subnet SubnetFrom(const pg::Row& row);

inline constexpr const char* kLeaseColumns =
    "subnet_id, host(address) AS address, owner, created_at";
AddressLease LeaseFrom(const pg::Row& row);

inline constexpr const char* kRuleColumns =
    "id, group_id, protocol, from_port, to_port, source_cidr::text AS source_cidr, "
    "source_group_id";
IngressRule RuleFrom(const pg::Row& row);

// ConflictFromConstraint maps an exclusion (23P01), unique (23505) or foreign key (23503)
// violation to a Conflict naming `what` (field: `field` for an overlap, "name" for a duplicate);
// nullopt for any other error (rethrow it).
std::optional<Error> ConflictFromConstraint(const pg::QueryError& e, const std::string& what,
                                            const std::string& field);

}  // namespace made0::infra::network::detail
