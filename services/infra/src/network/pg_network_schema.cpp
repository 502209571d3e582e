// The network part of schema `infra`. Names are unqualified: ApplyMigrations sets search_path to
// the schema. Why each constraint is there is said next to it; PgNetworkStore serialises
// allocations with row locks, and these constraints make a bug there fail loudly instead of
// handing out overlapping blocks.
#include "made0/infra/network/pg_network_store.hpp"

namespace made0::infra::network {

std::vector<pg::Migration> PgNetworkStore::Migrations() {
  return {
      {1, "network",
       // Region rows exist to be locked while a VPC is allocated in the region; the
       // configuration (MADE0_INFRA_REGIONS) holds pools and zones.
       "CREATE TABLE regions ("
       "  name text PRIMARY KEY,"
       "  created_at timestamptz NOT NULL DEFAULT now());"
       // VPC blocks never overlap, in any region: a GiST exclusion constraint with the built-in
       // inet_ops operator class (&& is 'overlaps' for network blocks).
       "CREATE TABLE vpcs ("
       "  id text PRIMARY KEY CHECK (id ~ '^vpc-[0-9a-f]{17}$'),"
       "  region text NOT NULL REFERENCES regions(name),"
       "  name text NOT NULL,"
       "  cidr cidr NOT NULL CHECK (family(cidr) = 4 AND masklen(cidr) BETWEEN 16 AND 28),"
       "  provider_id text,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  UNIQUE (region, name),"
       "  UNIQUE (id, cidr),"
       "  CONSTRAINT vpcs_no_overlap EXCLUDE USING gist (cidr inet_ops WITH &&));"
       // A subnet carries its VPC's block so a CHECK can keep it inside; subnets of different
       // VPCs cannot overlap since their VPCs do not, so one global exclusion constraint says
       // 'no overlap within a VPC' without the btree_gist extension.
       "CREATE TABLE subnets ("
       "  id text PRIMARY KEY CHECK (id ~ '^subnet-[0-9a-f]{17}$'),"
       "  vpc_id text NOT NULL,"
       "  vpc_cidr cidr NOT NULL,"
       "  name text NOT NULL,"
       "  availability_zone text NOT NULL,"
       "  cidr cidr NOT NULL CHECK (cidr <<= vpc_cidr AND masklen(cidr) <= 28),"
       "  provider_id text,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  FOREIGN KEY (vpc_id, vpc_cidr) REFERENCES vpcs(id, cidr) ON DELETE CASCADE,"
       "  UNIQUE (vpc_id, name),"
       "  UNIQUE (id, cidr),"
       "  CONSTRAINT subnets_no_overlap EXCLUDE USING gist (cidr inet_ops WITH &&));"
       // One address per (subnet, address) and one lease per (subnet, owner). No ON DELETE
       // action: a subnet (and so a VPC) with addresses in use cannot be deleted.
       "CREATE TABLE addresses ("
       "  subnet_id text NOT NULL,"
       "  subnet_cidr cidr NOT NULL,"
       "  address inet NOT NULL CHECK (masklen(address) = 32 AND address << subnet_cidr),"
       "  owner text NOT NULL,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  PRIMARY KEY (subnet_id, address),"
       "  UNIQUE (subnet_id, owner),"
       "  FOREIGN KEY (subnet_id, subnet_cidr) REFERENCES subnets(id, cidr));"
       "CREATE TABLE security_groups ("
       "  id text PRIMARY KEY CHECK (id ~ '^sg-[0-9a-f]{17}$'),"
       "  vpc_id text NOT NULL REFERENCES vpcs(id) ON DELETE CASCADE,"
       "  name text NOT NULL,"
       "  description text NOT NULL DEFAULT '',"
       "  provider_id text,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  UNIQUE (vpc_id, name),"
       "  UNIQUE (id, vpc_id));"
       // A rule's source group must be in the rule's VPC (composite foreign key); the same rule
       // twice is one rule (NULLS NOT DISTINCT, PostgreSQL 15).
       "CREATE TABLE security_group_rules ("
       "  id text PRIMARY KEY CHECK (id ~ '^sgr-[0-9a-f]{17}$'),"
       "  group_id text NOT NULL,"
       "  vpc_id text NOT NULL,"
       "  protocol text NOT NULL CHECK (protocol IN ('tcp', 'udp', 'icmp', '-1')),"
       "  from_port integer NOT NULL CHECK (from_port BETWEEN -1 AND 65535),"
       "  to_port integer NOT NULL CHECK (to_port BETWEEN -1 AND 65535),"
       "  source_cidr cidr,"
       "  source_group_id text,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  CHECK ((source_cidr IS NULL) <> (source_group_id IS NULL)),"
       "  FOREIGN KEY (group_id, vpc_id) REFERENCES security_groups(id, vpc_id)"
       "    ON DELETE CASCADE,"
       "  FOREIGN KEY (source_group_id, vpc_id) REFERENCES security_groups(id, vpc_id)"
       "    ON DELETE CASCADE,"
       "  UNIQUE NULLS NOT DISTINCT (group_id, protocol, from_port, to_port, source_cidr,"
       "    source_group_id));"},
  };
}

}  // namespace made0::infra::network
