#pragma once
// MongoLinkStore: LinkStore over MongoDB (libmongoc), database from MADE0_MONGO_URL, collections
// `links` (one document per link, found by `token_hash`, the SHA-256 of its token) and `mail_log`
// (by `message_id`). Document _ids are server-made ObjectIds: the MongoDB stand-in mishandles
// other _id types.
//
// Every decision is one atomic single-document operation (find-and-modify to use a link), so
// correctness never rests on multi-document transactions or on unique-index enforcement; expiry
// is judged in code on read. Indexes are still created: lookups by email, source, user and
// pending event, and a TTL index that lets a real MongoDB delete links a week after expiry.
// A failure to reach MongoDB throws made0::UnavailableError (503 at the HTTP boundary, a retry
// for consumers).

#include <memory>
#include <string>

#include "made0/verification/link_store.hpp"

namespace made0::verification {

class MongoLinkStore final : public LinkStore {
 public:
  // url: mongodb://host:port/<database>; server selection gives up after a few seconds.
  explicit MongoLinkStore(const std::string& url);
  ~MongoLinkStore() override;
  MongoLinkStore(const MongoLinkStore&) = delete;
  MongoLinkStore& operator=(const MongoLinkStore&) = delete;

  // EnsureIndexes creates the indexes (idempotent); Unavailable if MongoDB is unreachable.
  Status EnsureIndexes();
  Status Ping();

  // LinkStore
  std::set<std::string> LinksMailedFor(const std::vector<std::string>& sources) override;
  void RecordLinkMailed(const Link& link) override;
  void ConfirmLinksMailed(const std::vector<Link>& links) override;
  void ForgetLink(const Link& link) override;
  std::optional<Link> Find(const std::string& id) override;
  bool MarkUsed(const std::string& id, SystemTime now) override;
  std::optional<Link> LatestForEmail(const std::string& email) override;
  bool IsUserVerified(const std::string& user_id) override;
  bool WasMailed(const std::string& message_id) override;
  void RecordMailed(const std::string& message_id, SystemTime now, Ack ack) override;
  void ForgetMailed(const std::string& message_id) override;
  std::vector<Link> PendingVerifiedEvents(SystemTime before, int limit) override;
  void MarkVerifiedEventPublished(const std::string& id) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::verification
