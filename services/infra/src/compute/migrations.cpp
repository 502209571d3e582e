#include "made0/infra/compute/migrations.hpp"

#include "made0/infra/compute/instance_store.hpp"
#include "made0/infra/network/pg_network_store.hpp"
#include "made0/outbox/outbox.hpp"
#include "made0/saga/pg_saga_store.hpp"

namespace made0::infra::compute {

std::vector<pg::Migration> InfraMigrations(std::string_view schema) {
  std::vector<pg::Migration> all = network::PgNetworkStore::Migrations();
  for (pg::Migration& m : saga::SagaMigrations(100)) all.push_back(std::move(m));
  for (pg::Migration& m : PgInstanceStore::Migrations()) all.push_back(std::move(m));
  all.push_back(outbox::OutboxMigration(schema, 300));
  return all;
}

}  // namespace made0::infra::compute
