#include "made0/identity/validation.hpp"

#include <gtest/gtest.h>

namespace made0::identity {
namespace {

TEST(NormalizeEmail, AcceptsAndNormalizes) {
  const std::pair<const char*, const char*> ok[] = {
      {"ann@example.test", "ann@example.test"},
      {"  Ann.Lee+tag@Example.TEST ", "ann.lee+tag@example.test"},
      {"a@b-c.example.com", "a@b-c.example.com"},
  };
  for (const auto& [in, out] : ok) {
    auto r = NormalizeEmail(in);
    ASSERT_TRUE(r) << in << ": " << r.error().message;
    EXPECT_EQ(*r, out);
  }
}

TEST(NormalizeEmail, RejectsWithTheFieldNamed) {
  const std::string long_local(65, 'a');
  const std::string too_long = std::string(250, 'a') + "@x.io";
  const char* bad[] = {"",
                       "   ",
                       "ann",
                       "ann@",
                       "@example.test",
                       "ann@example",
                       "a@@b.test",
                       "a b@example.test",
                       "ann@exa_mple.test",
                       "ann@-example.test",
                       ".ann@example.test",
                       "an..n@example.test",
                       "ann@example..test",
                       "ann@example.test\n"};
  for (const char* in : bad) {
    auto r = NormalizeEmail(in);
    if (std::string_view(in) == "ann@example.test\n") {
      EXPECT_TRUE(r);  // trailing white space is trimmed
      continue;
    }
    ASSERT_FALSE(r) << in;
    EXPECT_EQ(r.error().field, "email");
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  }
  EXPECT_FALSE(NormalizeEmail(long_local + "@example.test"));
  EXPECT_FALSE(NormalizeEmail(too_long));
}

TEST(ValidatePassword, Lengths) {
  EXPECT_FALSE(ValidatePassword("1234567"));
  EXPECT_TRUE(ValidatePassword("12345678"));
  EXPECT_TRUE(ValidatePassword(std::string(128, 'x')));
  EXPECT_FALSE(ValidatePassword(std::string(129, 'x')));
  // Eight code points of two bytes each pass; four such (8 bytes) do not.
  EXPECT_TRUE(ValidatePassword("éééééééé"));
  EXPECT_FALSE(ValidatePassword("éééé"));
  auto st = ValidatePassword("short");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "password");
}

TEST(ValidatePassword, RejectsInvalidUtf8AndControls) {
  EXPECT_FALSE(ValidatePassword("abcdefgh\xff"));
  EXPECT_FALSE(
      ValidatePassword("abcd\xc0\x80"
                       "efgh"));
  EXPECT_FALSE(ValidatePassword("abcdefgh\x01"));
  EXPECT_EQ(Utf8Length("h\xc3\xa9llo"), 5);
  EXPECT_EQ(Utf8Length("\xe2\x82"), -1);
}

}  // namespace
}  // namespace made0::identity
