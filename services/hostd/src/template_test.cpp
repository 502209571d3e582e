#include "made0/hostd/template.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

TEST(Template, ExpandsVariablesAndEscapes) {
  const TemplateVars vars{{"port.client", "41234"}, {"name", "m1"}, {"empty", ""}};
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"plain", "plain"},
      {"", ""},
      {"http://127.0.0.1:{port.client}", "http://127.0.0.1:41234"},
      {"{name}={name}", "m1=m1"},
      {"{{literal}}", "{literal}"},
      {"a{empty}b", "ab"},
      {"{{{name}}}", "{m1}"},
  };
  for (const auto& c : cases) {
    auto r = Expand(c.in, vars, "f");
    ASSERT_TRUE(r) << c.in << ": " << r.error().message;
    EXPECT_EQ(*r, c.out) << c.in;
  }
}

TEST(Template, ErrorsNameTheField) {
  const TemplateVars vars{{"name", "m1"}};
  for (const char* bad : {"{nope}", "{name", "name}", "{port.peer}"}) {
    auto r = Expand(bad, vars, "images[0].args[2]");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().field, "images[0].args[2]");
  }
}

}  // namespace
}  // namespace made0::hostd
