#include "made0/frontend/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace made0::frontend {

std::string ContentTypeFor(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Status StaticFiles::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return Error::NotFound("no index.html in " + dir + " (build the console: scripts/build.sh)");
  }
  files_.clear();
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    files_["/" + fs::relative(it->path(), dir).generic_string()] = data.str();
  }
  return Status::Ok();
}

http::Response StaticFiles::Serve(std::string_view path) const {
  if (path.find("/..") != std::string_view::npos) {
    return http::Response::Error(Error::NotFound("no such file: " + std::string(path)));
  }
  std::string_view key = path == "/" ? "/index.html" : path;
  auto it = files_.find(key);
  if (it == files_.end()) {
    const auto slash = path.rfind('/');
    const bool has_extension =
        path.find('.', slash == std::string_view::npos ? 0 : slash) != std::string_view::npos;
    if (has_extension || path.rfind("/api/", 0) == 0) {
      return http::Response::Error(Error::NotFound("no such file: " + std::string(path)));
    }
    key = "/index.html";
    it = files_.find(key);
    if (it == files_.end()) return http::Response::Error(Error::NotFound("console not built"));
  }
  http::Response resp = http::Response::Text(200, it->second, ContentTypeFor(key));
  resp.SetHeader("Cache-Control", key.rfind("/assets/", 0) == 0
                                      ? "public, max-age=31536000, immutable"
                                      : "no-cache");
  resp.SetHeader("X-Content-Type-Options", "nosniff");
  if (key == "/index.html") {
    resp.SetHeader("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                   "frame-ancestors 'none'");
    resp.SetHeader("Referrer-Policy", "same-origin");
  }
  return resp;
}

}  // namespace made0::frontend
