#pragma once
// LinkStore: the verification service's persistence (MongoDB collections `links` and `mail_log`;
// MongoLinkStore is the real one). Every method that decides something is a single atomic
// operation on one document, so it needs neither transactions nor unique-index enforcement,
// which the MongoDB stand-in lacks.

#include <optional>
#include <string>
#include <vector>

#include "made0/verification/link.hpp"

namespace made0::verification {

// Ack says whether a write waits for the server's acknowledgement.
enum class Ack { kWait, kNoWait };

class LinkStore {
 public:
  virtual ~LinkStore() = default;
  virtual void Insert(const Link& link) = 0;
  virtual std::optional<Link> Find(const std::string& id) = 0;
  // MarkUsed sets used_at if and only if the link is still unused, and marks its user.verified
  // event as pending publication; true if this call used it (find-and-modify).
  virtual bool MarkUsed(const std::string& id, SystemTime now) = 0;
  // SetMailSent records whether the link's mail went out (false undoes a record made just before
  // a server refused the mail). Ack::kNoWait sends the write without waiting for the server's
  // answer (MongoDB's w:0): made between a mail's last byte and its end-of-data marker, it leaves
  // microseconds, not a round trip, in which a killed sender has recorded an unsent mail. The
  // caller confirms it with Ack::kWait once the mail is accepted.
  // a server refused the mail).
  virtual void SetMailSent(const std::string& id, bool sent, Ack ack) = 0;
  // MailSentFor is true if some link made from `source` (a message_id) was mailed.
  virtual bool MailSentFor(const std::string& source) = 0;
  // LatestForEmail is the newest link for the address, if any.
  virtual std::optional<Link> LatestForEmail(const std::string& email) = 0;
  virtual bool IsUserVerified(const std::string& user_id) = 0;
  // The `mail_log` records mails that are not links (the "already registered" notice).
  virtual bool WasMailed(const std::string& message_id) = 0;
  virtual void RecordMailed(const std::string& message_id, SystemTime now, Ack ack) = 0;
  virtual void ForgetMailed(const std::string& message_id) = 0;
  // Used links whose user.verified event is not yet confirmed by the broker, used before
  // `before` (so a confirmation in progress is not raced).
  virtual std::vector<Link> PendingVerifiedEvents(SystemTime before, int limit) = 0;
  virtual void MarkVerifiedEventPublished(const std::string& id) = 0;
};

}  // namespace made0::verification
