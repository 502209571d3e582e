#include "made0/frontend/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace made0::frontend {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("made0-static-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "assets");
    Write("index.html", "<html>console</html>");
    Write("assets/app-1a2b.js", "console.log(1)");
    Write("favicon.svg", "<svg/>");
    ASSERT_TRUE(files_.Load(dir_.string()));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  std::filesystem::path dir_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  auto js = files_.Serve("/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
  auto index = files_.Serve("/");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(files_.Serve("/favicon.svg").content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, PagesOfTheAppGetIndexAndMissingFilesA404) {
  EXPECT_EQ(files_.Serve("/verify").body, "<html>console</html>");
  EXPECT_EQ(files_.Serve("/check-email").status, 200);
  EXPECT_EQ(files_.Serve("/assets/missing.js").status, 404);
  EXPECT_EQ(files_.Serve("/api/unknown").status, 404);
  // Only files loaded at start exist: no path can reach outside the directory.
  EXPECT_EQ(files_.Serve("/../../etc/passwd").status, 404);
}

TEST(StaticFilesLoad, RefusesADirectoryWithoutIndex) {
  StaticFiles files;
  auto st = files.Load("/nonexistent-made0-dir");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace made0::frontend
