// made0ctl: a kubectl-like CLI for made0's infra service. See made0/ctl/app.hpp.
#include <iostream>

#include "made0/core/clock.hpp"
#include "made0/core/config.hpp"
#include "made0/ctl/app.hpp"

int main(int argc, char** argv) {
  made0::ProcessEnv env;
  made0::SystemClock clock;
  return made0::ctl::Run(argc, argv, std::cout, std::cerr, {.env = env, .clock = clock});
}
