#include "made0/ctl/endpoint.hpp"

#include <gtest/gtest.h>

namespace made0::ctl {
namespace {

using Kind = EndpointChoice::Kind;

TEST(ParseEnvFile, NameValueLines) {
  const auto vars = ParseEnvFile(
      "MADE0_PG_URL=postgresql://made0@127.0.0.1:5433/made0\n"
      "MADE0_REDIS_URL=redis://127.0.0.1:40123\r\n"
      "\n"
      "# a comment\n"
      "export MADE0_MAILDIR=\"/tmp/mail dir\"\n"
      "  SPACED = 'quoted' \n"
      "EMPTY=\n"
      "A=b=c\n"
      "no equals sign\n"
      "=nameless\n");
  const std::map<std::string, std::string, std::less<>> want = {
      {"MADE0_PG_URL", "postgresql://made0@127.0.0.1:5433/made0"},
      {"MADE0_REDIS_URL", "redis://127.0.0.1:40123"},
      {"MADE0_MAILDIR", "/tmp/mail dir"},
      {"SPACED", "quoted"},
      {"EMPTY", ""},
      {"A", "b=c"},
  };
  EXPECT_EQ(vars, want);
  EXPECT_TRUE(ParseEnvFile("").empty());
  EXPECT_EQ(ParseEnvFile("X=1").at("X"), "1");  // no final newline
}

TEST(NormalizeBaseUrl, AddsSchemeDropsSlash) {
  EXPECT_EQ(NormalizeBaseUrl("127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(NormalizeBaseUrl("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
  EXPECT_EQ(NormalizeBaseUrl(" https://infra.example//"), "https://infra.example");
}

struct Case {
  std::string name;
  std::optional<std::string> flag;
  std::vector<std::pair<std::string, std::string>> env;
  std::map<std::string, std::string> files;
  // want: kind, url and source; or, when url is empty, the error message.
  Kind kind;
  std::string url;
  std::string source_or_error;
};

TEST(ChooseEndpoint, Table) {
  const std::string redis = "MADE0_REDIS_URL=redis://127.0.0.1:40123\n";
  const std::string hint = " (start the stack with scripts/up.sh, or pass --server URL)";
  const std::string none = "cannot find infra: no --server, MADE0_INFRA_URL or MADE0_REDIS_URL, ";
  const Case cases[] = {
      {"flag wins",
       "127.0.0.1:9000",
       {{"MADE0_INFRA_URL", "http://x:1"}},
       {},
       Kind::kUrl,
       "http://127.0.0.1:9000",
       "--server"},
      {"empty flag is no flag",
       "",
       {{"MADE0_INFRA_URL", "http://x:1/"}},
       {},
       Kind::kUrl,
       "http://x:1",
       "MADE0_INFRA_URL"},
      {"infra url before redis",
       std::nullopt,
       {{"MADE0_INFRA_URL", "http://x:1"}, {"MADE0_REDIS_URL", "redis://r:2"}},
       {},
       Kind::kUrl,
       "http://x:1",
       "MADE0_INFRA_URL"},
      {"redis url from env",
       std::nullopt,
       {{"MADE0_REDIS_URL", "redis://r:2"}, {"MADE0_STACK_ENV", "/s.env"}},
       {{"/s.env", redis}},
       Kind::kRegistry,
       "redis://r:2",
       "MADE0_REDIS_URL"},
      {"stack env file",
       std::nullopt,
       {{"MADE0_STACK_ENV", "/s.env"}},
       {{"/s.env", redis}},
       Kind::kRegistry,
       "redis://127.0.0.1:40123",
       "MADE0_REDIS_URL in /s.env"},
      {"data dir",
       std::nullopt,
       {{"MADE0_DATA_DIR", "/d"}},
       {{"/d/stack/stack.env", redis}},
       Kind::kRegistry,
       "redis://127.0.0.1:40123",
       "MADE0_REDIS_URL in /d/stack/stack.env"},
      {"default path",
       std::nullopt,
       {},
       {{".data/stack/stack.env", redis}},
       Kind::kRegistry,
       "redis://127.0.0.1:40123",
       "MADE0_REDIS_URL in .data/stack/stack.env"},
      {"stack env wins over data dir",
       std::nullopt,
       {{"MADE0_STACK_ENV", "/s.env"}, {"MADE0_DATA_DIR", "/d"}},
       {{"/d/stack/stack.env", redis}},
       Kind::kUrl,
       "",
       none + "and no stack environment at /s.env" + hint},
      {"nothing anywhere",
       std::nullopt,
       {},
       {},
       Kind::kUrl,
       "",
       none + "and no stack environment at .data/stack/stack.env" + hint},
      {"file without redis",
       std::nullopt,
       {{"MADE0_STACK_ENV", "/s.env"}},
       {{"/s.env", "MADE0_PG_URL=x\n"}},
       Kind::kUrl,
       "",
       none + "and /s.env has no MADE0_REDIS_URL" + hint},
  };
  for (const Case& c : cases) {
    MapEnv env{};
    for (const auto& [k, v] : c.env) env.Set(k, v);
    const FileReader read = [&](const std::string& path) -> std::optional<std::string> {
      auto it = c.files.find(path);
      if (it == c.files.end()) return std::nullopt;
      return it->second;
    };
    auto got = ChooseEndpoint(c.flag, env, read);
    if (c.url.empty()) {
      ASSERT_FALSE(got) << c.name;
      EXPECT_EQ(got.error().code, ErrorCode::kUnavailable) << c.name;
      EXPECT_EQ(got.error().message, c.source_or_error) << c.name;
      continue;
    }
    ASSERT_TRUE(got) << c.name << ": " << got.error().message;
    EXPECT_EQ(got->kind, c.kind) << c.name;
    EXPECT_EQ(got->url, c.url) << c.name;
    EXPECT_EQ(got->source, c.source_or_error) << c.name;
  }
}

TEST(MakeEndpoint, FixedUrlAndBadRedisUrl) {
  auto fixed = MakeEndpoint({Kind::kUrl, "http://127.0.0.1:9", "--server"});
  ASSERT_TRUE(fixed);
  EXPECT_EQ(*(*fixed)->BaseUrl(), "http://127.0.0.1:9");
  EXPECT_FALSE((*fixed)->Unreachable("http://127.0.0.1:9"));
  EXPECT_EQ((*fixed)->Where("http://127.0.0.1:9"), "http://127.0.0.1:9 (from --server)");

  auto bad = MakeEndpoint({Kind::kRegistry, "http://not-redis", "MADE0_REDIS_URL"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
}

}  // namespace
}  // namespace made0::ctl
