#pragma once
// Conversion from hiredis's reply tree to Reply; private, so hiredis stays out of public headers.

#include <hiredis/hiredis.h>

#include "made0/redis/reply.hpp"

namespace made0::redis::internal {

// FromHiredis deep-copies r (nullptr gives nil); the caller still frees r.
Reply FromHiredis(const redisReply* r);

}  // namespace made0::redis::internal
