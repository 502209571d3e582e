#include "made0/verification/mongo_link_store.hpp"

#include <mongoc/mongoc.h>

#include <mutex>

namespace made0::verification {
namespace {

constexpr const char* kLinks = "links";
constexpr const char* kMailLog = "mail_log";

// Owning handles for libmongoc objects. (bson_t carries an alignment attribute, which is why
// these are spelled out instead of instantiating one template on it.)
#define MADE0_OWNED(Name, T, Destroy)           \
  struct Name {                                 \
    T* p = nullptr;                             \
    explicit Name(T* ptr = nullptr) : p(ptr) {} \
    ~Name() {                                   \
      if (p) Destroy(p);                        \
    }                                           \
    Name(const Name&) = delete;                 \
    Name& operator=(const Name&) = delete;      \
    T* get() const { return p; }                \
  }
MADE0_OWNED(Bson, bson_t, bson_destroy);
MADE0_OWNED(Collection, mongoc_collection_t, mongoc_collection_destroy);
MADE0_OWNED(Cursor, mongoc_cursor_t, mongoc_cursor_destroy);
#undef MADE0_OWNED

// StackBson is a bson_t initialised in place (for replies).
struct StackBson {
  bson_t b;
  StackBson() { bson_init(&b); }
  ~StackBson() { bson_destroy(&b); }
  StackBson(const StackBson&) = delete;
  StackBson& operator=(const StackBson&) = delete;
};

std::int64_t Ms(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
SystemTime FromMs(std::int64_t ms) { return SystemTime{std::chrono::milliseconds(ms)}; }

[[noreturn]] void Fail(const char* what, const bson_error_t& error) {
  throw UnavailableError(std::string("mongodb ") + what + ": " + error.message);
}

std::string GetString(const bson_t* doc, const char* key) {
  bson_iter_t it;
  if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it)) {
    return bson_iter_utf8(&it, nullptr);
  }
  return {};
}

std::optional<SystemTime> GetDate(const bson_t* doc, const char* key) {
  bson_iter_t it;
  if (bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_DATE_TIME(&it)) {
    return FromMs(bson_iter_date_time(&it));
  }
  return std::nullopt;
}

Link LinkFrom(const bson_t* doc) {
  Link l;
  l.id = GetString(doc, "token_hash");
  l.user_id = GetString(doc, "user_id");
  l.email = GetString(doc, "email");
  l.created_at = GetDate(doc, "created_at").value_or(SystemTime{});
  l.expires_at = GetDate(doc, "expires_at").value_or(SystemTime{});
  l.used_at = GetDate(doc, "used_at");
  l.source = GetString(doc, "source");
  return l;
}

}  // namespace

struct MongoLinkStore::State {
  mongoc_uri_t* uri = nullptr;
  mongoc_client_pool_t* pool = nullptr;
  std::string database;

  // Lease borrows a client from the pool for one operation.
  struct Lease {
    mongoc_client_pool_t* pool;
    mongoc_client_t* client;
    explicit Lease(mongoc_client_pool_t* p) : pool(p), client(mongoc_client_pool_pop(p)) {}
    ~Lease() { mongoc_client_pool_push(pool, client); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
  };

  Collection Coll(const Lease& lease, const char* name) const {
    return Collection(mongoc_client_get_collection(lease.client, database.c_str(), name));
  }

  std::vector<Link> FindLinks(const bson_t* filter, const bson_t* opts) const {
    Lease lease(pool);
    Collection c = Coll(lease, kLinks);
    Cursor cursor(mongoc_collection_find_with_opts(c.get(), filter, opts, nullptr));
    std::vector<Link> out;
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc)) out.push_back(LinkFrom(doc));
    bson_error_t error;
    if (mongoc_cursor_error(cursor.get(), &error)) Fail("find", error);
    return out;
  }

  // Exists is true if some document of `collection` matches `filter`: a find of at most one
  // document's _id, where countDocuments would run an aggregation pipeline on the server.
  bool Exists(const char* collection, const bson_t* filter) const {
    Lease lease(pool);
    Collection c = Coll(lease, collection);
    Bson opts(BCON_NEW("limit", BCON_INT64(1), "projection", "{", "_id", BCON_INT32(1), "}"));
    Cursor cursor(mongoc_collection_find_with_opts(c.get(), filter, opts.get(), nullptr));
    const bson_t* doc = nullptr;
    const bool found = mongoc_cursor_next(cursor.get(), &doc);
    bson_error_t error;
    if (mongoc_cursor_error(cursor.get(), &error)) Fail("find", error);
    return found;
  }

  // UpdateOne applies `update` to the first match of `filter`, or with `upsert` inserts one.
  void UpdateOne(const char* collection, const bson_t* filter, const bson_t* update, bool upsert,
                 Ack ack = Ack::kWait) const {
    Lease lease(pool);
    Collection c = Coll(lease, collection);
    Bson opts(ack == Ack::kWait ? BCON_NEW("upsert", BCON_BOOL(upsert))
                                : BCON_NEW("upsert", BCON_BOOL(upsert), "writeConcern", "{", "w",
                                           BCON_INT32(0), "}"));
    bson_error_t error;
    if (!mongoc_collection_update_one(c.get(), filter, update, opts.get(), nullptr, &error)) {
      Fail("update", error);
    }
  }
};

MongoLinkStore::MongoLinkStore(const std::string& url) : state_(std::make_unique<State>()) {
  mongoc_init();
  bson_error_t error;
  state_->uri = mongoc_uri_new_with_error(url.c_str(), &error);
  if (state_->uri == nullptr)
    throw std::invalid_argument("MADE0_MONGO_URL: " + std::string(error.message));
  // Fail fast when the server is down instead of libmongoc's 30 s default.
  if (!mongoc_uri_has_option(state_->uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS)) {
    mongoc_uri_set_option_as_int32(state_->uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 3000);
  }
  if (!mongoc_uri_has_option(state_->uri, MONGOC_URI_CONNECTTIMEOUTMS)) {
    mongoc_uri_set_option_as_int32(state_->uri, MONGOC_URI_CONNECTTIMEOUTMS, 2000);
  }
  const char* db = mongoc_uri_get_database(state_->uri);
  state_->database = db ? db : "made0";
  state_->pool = mongoc_client_pool_new(state_->uri);
  mongoc_client_pool_set_error_api(state_->pool, MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname(state_->pool, "made0-verification");
}

MongoLinkStore::~MongoLinkStore() {
  if (state_->pool) mongoc_client_pool_destroy(state_->pool);
  if (state_->uri) mongoc_uri_destroy(state_->uri);
}

Status MongoLinkStore::Ping() {
  State::Lease lease(state_->pool);
  Bson cmd(BCON_NEW("ping", BCON_INT32(1)));
  StackBson reply;
  bson_error_t error;
  if (!mongoc_client_command_simple(lease.client, "admin", cmd.get(), nullptr, &reply.b, &error)) {
    return Error::Unavailable(std::string("mongodb: ") + error.message);
  }
  return Status::Ok();
}

Status MongoLinkStore::EnsureIndexes() {
  State::Lease lease(state_->pool);
  mongoc_database_t* db = mongoc_client_get_database(lease.client, state_->database.c_str());
  Bson cmd(BCON_NEW(
      "createIndexes", BCON_UTF8(kLinks), "indexes", "[", "{", "key", "{", "email", BCON_INT32(1),
      "created_at", BCON_INT32(-1), "}", "name", BCON_UTF8("email_created"), "}", "{", "key", "{",
      "source", BCON_INT32(1), "}", "name", BCON_UTF8("source"), "}", "{", "key", "{", "user_id",
      BCON_INT32(1), "}", "name", BCON_UTF8("user"), "}", "{", "key", "{", "verified_event",
      BCON_INT32(1), "}", "name", BCON_UTF8("verified_event"), "}", "{", "key", "{", "token_hash",
      BCON_INT32(1), "}", "name", BCON_UTF8("token_hash"), "unique", BCON_BOOL(true), "}", "{",
      "key", "{", "expires_at", BCON_INT32(1), "}", "name", BCON_UTF8("expiry_cleanup"),
      "expireAfterSeconds", BCON_INT32(7 * 24 * 3600), "}", "]"));
  StackBson reply;
  bson_error_t error;
  const bool ok = mongoc_database_write_command_with_opts(db, cmd.get(), nullptr, &reply.b, &error);
  mongoc_database_destroy(db);
  if (!ok) return Error::Unavailable(std::string("mongodb createIndexes: ") + error.message);
  Bson log_cmd(BCON_NEW("createIndexes", BCON_UTF8(kMailLog), "indexes", "[", "{", "key", "{",
                        "message_id", BCON_INT32(1), "}", "name", BCON_UTF8("message_id"), "unique",
                        BCON_BOOL(true), "}", "]"));
  StackBson log_reply;
  db = mongoc_client_get_database(lease.client, state_->database.c_str());
  const bool log_ok =
      mongoc_database_write_command_with_opts(db, log_cmd.get(), nullptr, &log_reply.b, &error);
  mongoc_database_destroy(db);
  if (!log_ok) return Error::Unavailable(std::string("mongodb createIndexes: ") + error.message);
  return Status::Ok();
}

namespace {

// InStrings is the filter {field: {$in: [values...]}}.
Bson InStrings(const char* field, const std::vector<std::string>& values) {
  Bson array(bson_new());
  for (std::size_t i = 0; i < values.size(); ++i) {
    BSON_APPEND_UTF8(array.get(), std::to_string(i).c_str(), values[i].c_str());
  }
  return Bson(BCON_NEW(field, "{", "$in", BCON_ARRAY(array.get()), "}"));
}

// MailedLinkUpsert is the record of a mailed link: keyed on its token hash (the filter's equality
// gives an inserted document its token_hash), and never changing an existing document.
struct MailedLinkUpsert {
  explicit MailedLinkUpsert(const Link& l)
      : filter(BCON_NEW("token_hash", BCON_UTF8(l.id.c_str()))),
        update(BCON_NEW("$setOnInsert", "{", "user_id", BCON_UTF8(l.user_id.c_str()), "email",
                        BCON_UTF8(l.email.c_str()), "created_at", BCON_DATE_TIME(Ms(l.created_at)),
                        "expires_at", BCON_DATE_TIME(Ms(l.expires_at)), "used_at", BCON_NULL,
                        "source", BCON_UTF8(l.source.c_str()), "mail_sent", BCON_BOOL(true),
                        "verified_event", BCON_UTF8("none"), "}")) {}
  Bson filter;
  Bson update;
};

}  // namespace

std::set<std::string> MongoLinkStore::LinksMailedFor(const std::vector<std::string>& sources) {
  std::set<std::string> mailed;
  if (sources.empty()) return mailed;
  Bson filter = InStrings("source", sources);
  BSON_APPEND_BOOL(filter.get(), "mail_sent", true);
  Bson opts(BCON_NEW("projection", "{", "source", BCON_INT32(1), "}"));
  for (const Link& l : state_->FindLinks(filter.get(), opts.get())) mailed.insert(l.source);
  return mailed;
}

void MongoLinkStore::RecordLinkMailed(const Link& l) {
  const MailedLinkUpsert record(l);
  state_->UpdateOne(kLinks, record.filter.get(), record.update.get(), true, Ack::kNoWait);
}

void MongoLinkStore::ConfirmLinksMailed(const std::vector<Link>& links) {
  if (links.empty()) return;
  // Each unacknowledged record was either applied or lost: reading them back proves the first
  // (one find for the batch costs the server less than a write each), and only a miss (lost, or
  // still in flight on another pooled connection) is written again, acknowledged.
  std::vector<std::string> ids;
  for (const Link& l : links) ids.push_back(l.id);
  const Bson filter = InStrings("token_hash", ids);
  Bson opts(BCON_NEW("projection", "{", "token_hash", BCON_INT32(1), "}"));
  std::set<std::string> found;
  for (const Link& l : state_->FindLinks(filter.get(), opts.get())) found.insert(l.id);
  for (const Link& l : links) {
    if (found.count(l.id) > 0) continue;
    const MailedLinkUpsert record(l);
    state_->UpdateOne(kLinks, record.filter.get(), record.update.get(), true, Ack::kWait);
  }
}

void MongoLinkStore::ForgetLink(const Link& l) {
  // An upsert too: if the unacknowledged record arrives later, it finds this and changes nothing.
  Bson filter(BCON_NEW("token_hash", BCON_UTF8(l.id.c_str())));
  Bson update(BCON_NEW("$set", "{", "mail_sent", BCON_BOOL(false), "}", "$setOnInsert", "{",
                       "user_id", BCON_UTF8(l.user_id.c_str()), "email", BCON_UTF8(l.email.c_str()),
                       "created_at", BCON_DATE_TIME(Ms(l.created_at)), "expires_at",
                       BCON_DATE_TIME(Ms(l.expires_at)), "used_at", BCON_NULL, "source",
                       BCON_UTF8(l.source.c_str()), "verified_event", BCON_UTF8("none"), "}"));
  state_->UpdateOne(kLinks, filter.get(), update.get(), true);
}

std::optional<Link> MongoLinkStore::Find(const std::string& id) {
  Bson filter(BCON_NEW("token_hash", BCON_UTF8(id.c_str())));
  Bson opts(BCON_NEW("limit", BCON_INT64(1)));
  auto links = state_->FindLinks(filter.get(), opts.get());
  if (links.empty()) return std::nullopt;
  return links.front();
}

bool MongoLinkStore::MarkUsed(const std::string& id, SystemTime now) {
  Bson query(BCON_NEW("token_hash", BCON_UTF8(id.c_str()), "used_at", BCON_NULL));
  Bson update(BCON_NEW("$set", "{", "used_at", BCON_DATE_TIME(Ms(now)), "verified_event",
                       BCON_UTF8("pending"), "}"));
  State::Lease lease(state_->pool);
  Collection c = state_->Coll(lease, kLinks);
  mongoc_find_and_modify_opts_t* opts = mongoc_find_and_modify_opts_new();
  mongoc_find_and_modify_opts_set_update(opts, update.get());
  mongoc_find_and_modify_opts_set_flags(opts, MONGOC_FIND_AND_MODIFY_RETURN_NEW);
  StackBson reply;
  bson_error_t error;
  const bool ok =
      mongoc_collection_find_and_modify_with_opts(c.get(), query.get(), opts, &reply.b, &error);
  mongoc_find_and_modify_opts_destroy(opts);
  if (!ok) Fail("findAndModify", error);
  bson_iter_t it;
  return bson_iter_init_find(&it, &reply.b, "value") && BSON_ITER_HOLDS_DOCUMENT(&it);
}

std::optional<Link> MongoLinkStore::LatestForEmail(const std::string& email) {
  Bson filter(BCON_NEW("email", BCON_UTF8(email.c_str())));
  Bson opts(BCON_NEW("sort", "{", "created_at", BCON_INT32(-1), "}", "limit", BCON_INT64(1)));
  auto links = state_->FindLinks(filter.get(), opts.get());
  if (links.empty()) return std::nullopt;
  return links.front();
}

bool MongoLinkStore::IsUserVerified(const std::string& user_id) {
  Bson filter(
      BCON_NEW("user_id", BCON_UTF8(user_id.c_str()), "used_at", "{", "$ne", BCON_NULL, "}"));
  return state_->Exists(kLinks, filter.get());
}

bool MongoLinkStore::WasMailed(const std::string& message_id) {
  Bson filter(BCON_NEW("message_id", BCON_UTF8(message_id.c_str())));
  return state_->Exists(kMailLog, filter.get());
}

void MongoLinkStore::RecordMailed(const std::string& message_id, SystemTime now, Ack ack) {
  Bson filter(BCON_NEW("message_id", BCON_UTF8(message_id.c_str())));
  Bson update(BCON_NEW("$set", "{", "sent_at", BCON_DATE_TIME(Ms(now)), "}"));
  if (ack == Ack::kWait && state_->Exists(kMailLog, filter.get())) return;  // as ConfirmLinksMailed
  state_->UpdateOne(kMailLog, filter.get(), update.get(), true, ack);
}

void MongoLinkStore::ForgetMailed(const std::string& message_id) {
  Bson filter(BCON_NEW("message_id", BCON_UTF8(message_id.c_str())));
  State::Lease lease(state_->pool);
  Collection c = state_->Coll(lease, kMailLog);
  bson_error_t error;
  if (!mongoc_collection_delete_many(c.get(), filter.get(), nullptr, nullptr, &error)) {
    Fail("delete", error);
  }
}

std::vector<Link> MongoLinkStore::PendingVerifiedEvents(SystemTime before, int limit) {
  Bson filter(BCON_NEW("verified_event", BCON_UTF8("pending"), "used_at", "{", "$lt",
                       BCON_DATE_TIME(Ms(before)), "}"));
  Bson opts(BCON_NEW("limit", BCON_INT64(limit)));
  return state_->FindLinks(filter.get(), opts.get());
}

void MongoLinkStore::MarkVerifiedEventPublished(const std::string& id) {
  Bson filter(BCON_NEW("token_hash", BCON_UTF8(id.c_str())));
  Bson update(BCON_NEW("$set", "{", "verified_event", BCON_UTF8("published"), "}"));
  state_->UpdateOne(kLinks, filter.get(), update.get(), false);
}

}  // namespace made0::verification
