#pragma once
// Integration tests find the servers that scripts/stack.sh started through the file it writes,
// named by MADE0_STACK_ENV (ctest sets it; see made0_test in cmake/made0.cmake). The file holds
// KEY=VALUE lines such as MADE0_PG_URL=postgresql://made0@127.0.0.1:41234/made0.
//
//   TEST(UsersPg, Registers) {
//     auto env = made0::testing::LoadStackEnv();   // skips nothing: fails loudly if absent
//     std::string pg = env.Get("MADE0_PG_URL").value();
//   }

#include <string>

#include "made0/core/config.hpp"

namespace made0::testing {

// LoadStackEnv reads $MADE0_STACK_ENV; it throws std::runtime_error if the variable or file is
// missing, so a misconfigured integration test fails instead of passing vacuously.
MapEnv LoadStackEnv();

// ExportStackEnv also sets every variable in this process's environment (for code under test that
// reads ProcessEnv, and for child processes it starts).
MapEnv ExportStackEnv();

// UniqueName returns prefix + 8 random hex digits, for schemas, queues and keys a test owns.
std::string UniqueName(const std::string& prefix);

}  // namespace made0::testing
