#include "url.hpp"

#include <gtest/gtest.h>

namespace made0::http::internal {
namespace {

TEST(SplitTargetTest, Table) {
  struct Case {
    std::string_view target, path, query;
  } cases[] = {
      {"/", "/", ""},
      {"/a/b", "/a/b", ""},
      {"/a?x=1&y", "/a", "x=1&y"},
      {"/a?", "/a", ""},
      {"/a?x#frag", "/a", "x"},
      {"?x=1", "/", "x=1"},
      {"", "/", ""},
      {"http://host:80/p?q=1", "/p", "q=1"},
      {"http://host", "/", ""},
      {"*", "*", ""},
  };
  for (const Case& c : cases) {
    std::string_view path, query;
    SplitTarget(c.target, path, query);
    EXPECT_EQ(path, c.path) << c.target;
    EXPECT_EQ(query, c.query) << c.target;
  }
}

TEST(PercentDecodeTest, Table) {
  struct Case {
    std::string_view in;
    bool plus;
    std::string_view out;
  } cases[] = {
      {"abc", false, "abc"},
      {"a%20b", false, "a b"},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%2F%2f", false, "//"},
      {"%zz", false, "%zz"},
      {"100%", false, "100%"},
      {"%4", false, "%4"},
      {"%E2%82%AC", false, "\xe2\x82\xac"},
      {"%00x", false, std::string_view("\0x", 2)},
  };
  for (const Case& c : cases) {
    std::string out;
    PercentDecode(c.in, c.plus, out);
    EXPECT_EQ(out, c.out) << c.in;
  }
}

TEST(ParseQueryTest, DecodesAndKeepsFirst) {
  StringMap q;
  ParseQuery("a=1&b=x+y&c&&a=2&d=%26%3D&=e", q);
  EXPECT_EQ(q.at("a"), "1");
  EXPECT_EQ(q.at("b"), "x y");
  EXPECT_EQ(q.at("c"), "");
  EXPECT_EQ(q.at("d"), "&=");
  EXPECT_EQ(q.at(""), "e");
  EXPECT_EQ(q.size(), 5u);
}

TEST(FillFromTargetTest, SetsPathAndQuery) {
  Request req;
  req.target = "/v1/users/a%20b?limit=10";
  req.query.emplace("stale", "1");  // not operator[]= : g++ 12 -O3 -Wrestrict false positive
  FillFromTarget(req);
  EXPECT_EQ(req.path, "/v1/users/a b");
  EXPECT_EQ(req.query.size(), 1u);
  EXPECT_EQ(req.Query("limit"), "10");
}

}  // namespace
}  // namespace made0::http::internal
