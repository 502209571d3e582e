#pragma once
// LinkStore: the verification service's persistence (MongoDB collections `links` and `mail_log`;
// MongoLinkStore is the real one). Every method that decides something is a single atomic
// operation on one document, so it needs neither transactions nor unique-index enforcement,
// which the MongoDB stand-in lacks.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "made0/verification/link.hpp"

namespace made0::verification {

// Ack says whether a write waits for the server's acknowledgement.
enum class Ack { kWait, kNoWait };

class LinkStore {
 public:
  virtual ~LinkStore() = default;
  // LinksMailedFor is the subset of `sources` (message_ids of user.registered events) whose link
  // is recorded as mailed, in one query; LinkMailedFor asks about one.
  virtual std::set<std::string> LinksMailedFor(const std::vector<std::string>& sources) = 0;
  bool LinkMailedFor(const std::string& source) { return !LinksMailedFor({source}).empty(); }
  // RecordLinkMailed stores `link` as mailed, unacknowledged (MongoDB's w:0): an upsert keyed on
  // its token hash that never changes an existing document. It is sent between the mail's last
  // byte and its end-of-data marker, so that a sender killed there has microseconds, not a round
  // trip, in which it recorded a mail that never left.
  virtual void RecordLinkMailed(const Link& link) = 0;
  // ConfirmLinksMailed makes those records durable once the server took the mails, for a batch of
  // links at once: acknowledged, and in as few requests as the store allows (MongoLinkStore reads
  // them back and writes again only the ones missing).
  virtual void ConfirmLinksMailed(const std::vector<Link>& links) = 0;
  // ForgetLink records the link as not mailed (the server refused the mail at the end). Keyed
  // on the token hash too, it holds whichever of it and an unacknowledged RecordLinkMailed,
  // sent over another connection, reaches the server first.
  virtual void ForgetLink(const Link& link) = 0;
  virtual std::optional<Link> Find(const std::string& id) = 0;
  // MarkUsed sets used_at if and only if the link is still unused, and marks its user.verified
  // event as pending publication; true if this call used it (find-and-modify).
  virtual bool MarkUsed(const std::string& id, SystemTime now) = 0;
  // LatestForEmail is the newest link for the address, if any.
  virtual std::optional<Link> LatestForEmail(const std::string& email) = 0;
  virtual bool IsUserVerified(const std::string& user_id) = 0;
  // The `mail_log` records mails that are not links (the "already registered" notice), keyed
  // on their message_id: recorded unacknowledged before the end of data, then acknowledged;
  // ForgetMailed deletes the record of a refused one.
  virtual bool WasMailed(const std::string& message_id) = 0;
  virtual void RecordMailed(const std::string& message_id, SystemTime now, Ack ack) = 0;
  virtual void ForgetMailed(const std::string& message_id) = 0;
  // Used links whose user.verified event is not yet confirmed by the broker, used before
  // `before` (so a confirmation in progress is not raced).
  virtual std::vector<Link> PendingVerifiedEvents(SystemTime before, int limit) = 0;
  virtual void MarkVerifiedEventPublished(const std::string& id) = 0;
};

}  // namespace made0::verification
