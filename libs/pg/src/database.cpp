#include "made0/pg/database.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <thread>

#include "pool.hpp"
#include "translate.hpp"

namespace made0::pg {
namespace detail {

// TxImpl binds a Transaction to the driver's transaction and to the connection it runs on.
class TxImpl {
 public:
  TxImpl(pqxx::transaction_base& tx, Conn& conn) : tx_(tx), conn_(conn) {}

  Transaction MakeTransaction() { return Transaction(*this); }

  Rows Exec(std::string_view sql, const std::vector<Param>& params) {
    try {
      pqxx::result r;
      if (params.empty()) {
        r = tx_.exec(std::string(sql));
      } else {
        // Texts own the values; pointers (nullptr for NULL) are what the driver binds.
        std::vector<std::optional<std::string>> texts;
        texts.reserve(params.size());
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const Param& p : params) {
          texts.push_back(p.ToText());
          values.push_back(texts.back() ? texts.back()->c_str() : nullptr);
        }
        r = ExecPrepared(std::string(sql), values);
      }
      return Convert(r);
    } catch (...) {
      auto error = Translate(std::current_exception());
      if (IsConnectionError(error) || !conn_.pq->is_open()) conn_.broken = true;
      std::rethrow_exception(error);
    }
  }

 private:
  pqxx::result ExecPrepared(const std::string& sql, const std::vector<const char*>& values) {
    auto it = conn_.prepared.find(sql);
    if (it == conn_.prepared.end()) {
      if (conn_.prepared.size() >= kMaxPrepared) {
        return tx_.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
      }
      const std::string name = "made0_" + std::to_string(conn_.prepared.size());
      conn_.pq->prepare(name, sql);
      it = conn_.prepared.emplace(sql, name).first;
    }
    return tx_.exec_prepared(it->second, pqxx::prepare::make_dynamic_params(values));
  }

  static Rows Convert(const pqxx::result& r) {
    auto data = std::make_shared<ResultData>();
    const auto cols = static_cast<std::size_t>(r.columns());
    data->columns.reserve(cols);
    for (std::size_t c = 0; c < cols; ++c) {
      data->columns.emplace_back(r.column_name(static_cast<pqxx::row::size_type>(c)));
    }
    data->rows = r.size();
    data->cells.reserve(data->rows * cols);
    for (const auto& row : r) {
      for (const auto& field : row) {
        if (field.is_null()) {
          data->cells.emplace_back(std::nullopt);
        } else {
          data->cells.emplace_back(std::string(field.c_str(), field.size()));
        }
      }
    }
    data->affected_rows = static_cast<std::int64_t>(r.affected_rows());
    return Rows(std::move(data));
  }

  pqxx::transaction_base& tx_;
  Conn& conn_;
};

namespace {

const char* IsolationSql(Isolation isolation) {
  switch (isolation) {
    case Isolation::kReadCommitted:
      return nullptr;
    case Isolation::kRepeatableRead:
      return "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    case Isolation::kSerializable:
      return "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";
  }
  return nullptr;
}

}  // namespace
}  // namespace detail

Rows Transaction::Exec(std::string_view sql, std::vector<Param> params) {
  return impl_.Exec(sql, params);
}

Database::Database(std::string url, int pool_size)
    : Database(std::move(url), DatabaseOptions{.pool_size = pool_size}) {}

Database::Database(std::string url, DatabaseOptions options)
    : pool_(std::make_unique<detail::Pool>(std::move(url), options)) {}

Database::~Database() = default;

const std::string& Database::url() const { return pool_->url(); }

Database::Stats Database::GetStats() const { return pool_->GetStats(); }

void Database::RunTransaction(Isolation isolation, const std::function<bool(Transaction&)>& body) {
  const int max_attempts = pool_->options().max_attempts;
  for (int attempt = 1;; ++attempt) {
    detail::Lease lease(*pool_);
    try {
      pqxx::work work(*lease->pq);
      if (const char* sql = detail::IsolationSql(isolation)) work.exec(sql);
      detail::TxImpl impl(work, *lease);
      Transaction tx = impl.MakeTransaction();
      if (body(tx)) {
        work.commit();
      } else {
        work.abort();
      }
      return;
    } catch (...) {
      auto error = detail::Translate(std::current_exception());
      if (detail::IsConnectionError(error) || !lease->pq->is_open()) lease->broken = true;
      if (attempt >= max_attempts || !detail::IsRetryable(error)) std::rethrow_exception(error);
    }
    // A short random pause makes two transactions that just deadlocked unlikely to collide again.
    const auto pause_us = 1000 * attempt + pool_->random().Uniform(5000);
    std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
  }
}

Rows Database::Exec(std::string_view sql, std::vector<Param> params) {
  detail::Lease lease(*pool_);
  try {
    pqxx::nontransaction tx(*lease->pq);
    detail::TxImpl impl(tx, *lease);
    return impl.Exec(sql, params);
  } catch (...) {
    auto error = detail::Translate(std::current_exception());
    if (detail::IsConnectionError(error) || !lease->pq->is_open()) lease->broken = true;
    std::rethrow_exception(error);
  }
}

Status Database::Ping() {
  try {
    Exec("SELECT 1");
    return Status::Ok();
  } catch (const ConnectionError& e) {
    return made0::Error::Unavailable(e.what());
  } catch (const std::exception& e) {
    return made0::Error::Internal(e.what());
  }
}

}  // namespace made0::pg
