#pragma once
// InfraMigrations: every table of the infra service's schema, in one ordered list: networks
// (versions 1..99), the saga log (100..199), compute (200..299), the outbox (300).
//
//   pg::ApplyMigrations(db, "infra", infra::compute::InfraMigrations("infra"));

#include <string_view>
#include <vector>

#include "made0/pg/migrations.hpp"

namespace made0::infra::compute {

std::vector<pg::Migration> InfraMigrations(std::string_view schema);

}  // namespace made0::infra::compute
