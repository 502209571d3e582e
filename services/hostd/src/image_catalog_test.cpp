#include "made0/hostd/image_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

namespace made0::hostd {
namespace {

using nlohmann::json;

TEST(ImageCatalog, DefaultsHaveEtcdAndTest) {
  const Catalog c = DefaultCatalog();
  ASSERT_TRUE(c.count("etcd"));
  ASSERT_TRUE(c.count("test"));
  EXPECT_EQ(c.at("etcd").binary, "/usr/bin/etcd");
  EXPECT_EQ(c.at("etcd").endpoints, (std::vector<std::string>{"client", "peer"}));
  EXPECT_EQ(c.at("test").binary, "made0-testimage");
  EXPECT_EQ(c.at("test").endpoints, (std::vector<std::string>{"http"}));
  // The built-in images pass the same checks as a catalog file.
  json doc = {{"images", json::array()}};
  for (const auto& [name, image] : c) doc["images"].push_back(ImageJson(image));
  auto parsed = ParseCatalog(doc);
  ASSERT_TRUE(parsed) << parsed.error().field << ": " << parsed.error().message;
  EXPECT_EQ(parsed->size(), 2u);
}

TEST(ImageCatalog, ParsesAndMerges) {
  auto parsed = ParseCatalog(json::parse(R"({"images": [
      {"name": "etcd", "binary": "/opt/etcd/etcd", "endpoints": ["client", "peer"],
       "args": ["--listen-client-urls", "http://127.0.0.1:{port.client}"]},
      {"name": "sleep", "binary": "sleep", "args": ["1000"], "env": {"A": "{instance_id}"}}]})"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  const Catalog merged = Merge(DefaultCatalog(), *parsed);
  EXPECT_EQ(merged.at("etcd").binary, "/opt/etcd/etcd");  // replaced
  EXPECT_EQ(merged.at("sleep").env.at("A"), "{instance_id}");
  EXPECT_TRUE(merged.count("test"));  // kept
}

TEST(ImageCatalog, RejectsBadEntriesNamingThem) {
  struct Case {
    const char* doc;
    const char* field;
  };
  const Case cases[] = {
      {R"({})", "images"},
      {R"({"images": {}})", "images"},
      {R"({"images": [1]})", "images[0]"},
      {R"({"images": [{"binary": "x"}]})", "images[0].name"},
      {R"({"images": [{"name": "Bad Name", "binary": "x"}]})", "images[0].name"},
      {R"({"images": [{"name": "a"}]})", "images[0].binary"},
      {R"({"images": [{"name": "a", "binary": 3}]})", "images[0].binary"},
      {R"({"images": [{"name": "a", "binary": "x", "args": "-v"}]})", "images[0].args"},
      {R"({"images": [{"name": "a", "binary": "x", "args": ["{port.http}"]}]})",
       "images[0].args[0]"},
      {R"({"images": [{"name": "a", "binary": "x", "endpoints": ["h", "h"]}]})",
       "images[0].endpoints[1]"},
      {R"({"images": [{"name": "a", "binary": "x", "env": {"K": "{nope}"}}]})", "images[0].env.K"},
      {R"({"images": [{"name": "a", "binary": "x"}, {"name": "a", "binary": "y"}]})",
       "images[1].name"},
  };
  for (const auto& c : cases) {
    auto r = ParseCatalog(json::parse(c.doc));
    ASSERT_FALSE(r) << c.doc;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid) << c.doc;
    EXPECT_EQ(r.error().field, c.field) << c.doc << ": " << r.error().message;
  }
}

TEST(ImageCatalog, ResolvesBinaries) {
  const std::set<std::string> files = {"/build/hostd/made0-testimage", "/usr/bin/etcd",
                                       "/bin/sleep"};
  auto exists = [&](const std::string& p) { return files.count(p) > 0; };
  EXPECT_EQ(*ResolveBinary("made0-testimage", "/build/hostd", "/usr/bin:/bin", exists),
            "/build/hostd/made0-testimage");
  EXPECT_EQ(*ResolveBinary("sleep", "/build/hostd", "/usr/bin::/bin", exists), "/bin/sleep");
  EXPECT_EQ(*ResolveBinary("/usr/bin/etcd", "/build/hostd", "", exists), "/usr/bin/etcd");
  auto missing = ResolveBinary("/opt/etcd", "/build/hostd", "/usr/bin", exists);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto nowhere = ResolveBinary("made0-testimage", "", "/usr/bin", exists);
  ASSERT_FALSE(nowhere);
  EXPECT_NE(nowhere.error().message.find("/usr/bin"), std::string::npos);
}

}  // namespace
}  // namespace made0::hostd
