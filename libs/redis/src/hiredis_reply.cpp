#include "hiredis_reply.hpp"

namespace made0::redis::internal {

Reply FromHiredis(const redisReply* r) {
  if (r == nullptr) return Reply::MakeNil();
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      return Reply::MakeInteger(r->integer);
    case REDIS_REPLY_STRING:
      return Reply::MakeString(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS:
      return Reply::MakeStatus(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR:
      return Reply::MakeError(std::string(r->str, r->len));
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) elements.push_back(FromHiredis(r->element[i]));
      return Reply::MakeArray(std::move(elements));
    }
    case REDIS_REPLY_NIL:
    default:
      return Reply::MakeNil();
  }
}

}  // namespace made0::redis::internal
