#pragma once
// ReadTestdata loads a sample response from libs/cloud/aws/testdata (tests only).

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace made0::cloud::aws::testing {

inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(MADE0_AWS_TESTDATA) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing testdata " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace made0::cloud::aws::testing
