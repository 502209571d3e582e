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

class LinkStore {
 public:
  virtual ~LinkStore() = default;
  // RecordLinkMailed stores `link` as mailed unless a link made from the same `source` (the
  // message_id of its user.registered) was recorded already; true if this call stored it. One
  // acknowledged upsert keyed on `source`, made just before the mail's end-of-data marker, so a
  // redelivered event finds the first delivery's record and sends nothing.
  virtual bool RecordLinkMailed(const Link& link) = 0;
  // ForgetLink removes a recorded link whose mail the server refused after all.
  virtual void ForgetLink(const std::string& id) = 0;
  virtual std::optional<Link> Find(const std::string& id) = 0;
  // MarkUsed sets used_at if and only if the link is still unused, and marks its user.verified
  // event as pending publication; true if this call used it (find-and-modify).
  virtual bool MarkUsed(const std::string& id, SystemTime now) = 0;
  // LatestForEmail is the newest link for the address, if any.
  virtual std::optional<Link> LatestForEmail(const std::string& email) = 0;
  virtual bool IsUserVerified(const std::string& user_id) = 0;
  // The `mail_log` records mails that are not links (the "already registered" notice), the same
  // way: RecordMailed is true if this call recorded `message_id` (an upsert), ForgetMailed undoes
  // it for a refused mail.
  virtual bool RecordMailed(const std::string& message_id, SystemTime now) = 0;
  virtual void ForgetMailed(const std::string& message_id) = 0;
  // Used links whose user.verified event is not yet confirmed by the broker, used before
  // `before` (so a confirmation in progress is not raced).
  virtual std::vector<Link> PendingVerifiedEvents(SystemTime before, int limit) = 0;
  virtual void MarkVerifiedEventPublished(const std::string& id) = 0;
};

}  // namespace made0::verification
