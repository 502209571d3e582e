#include "made0/pg/testing/test_database.hpp"

#include <stdexcept>
#include <thread>

#include "made0/core/log.hpp"
#include "made0/testing/stack_env.hpp"

namespace made0::pg::testing {

TestDatabase::TestDatabase(const std::string& prefix, int pool_size)
    : schema_(made0::testing::UniqueName(prefix)) {
  auto env = made0::testing::LoadStackEnv();
  auto url = env.Get("MADE0_PG_URL");
  if (!url) throw std::runtime_error("MADE0_PG_URL missing from the stack env file");
  url_ = *url;
  db_ = std::make_unique<Database>(url_, pool_size);
}

TestDatabase::~TestDatabase() {
  try {
    db_->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  } catch (const std::exception& e) {
    log::Warn("test schema not dropped", {{"schema", schema_}, {"error", e.what()}});
  }
}

bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace made0::pg::testing
