#pragma once
// StaticFiles serves the console's built files (services/frontend/web/dist) from memory: they
// are read once at start, so a request never touches the disk and a path can never escape the
// directory. Vite's fingerprinted /assets/* are cached for a year; index.html never, so a new
// build is picked up at the next page load. Any other path without a file extension is a page of
// the single-page app and gets index.html (history API routing).
//
//   StaticFiles web;
//   if (auto st = web.Load("/srv/made0/web/dist"); !st) ...
//   router.Add("GET", "/*", [&](http::Request& r) { return web.Serve(r.path); });

#include <map>
#include <string>

#include "made0/core/status.hpp"
#include "made0/http/message.hpp"

namespace made0::frontend {

// ContentTypeFor maps a file name's extension to its Content-Type.
std::string ContentTypeFor(std::string_view path);

class StaticFiles {
 public:
  // Load reads every regular file under dir; NotFound if dir has no index.html.
  Status Load(const std::string& dir);
  http::Response Serve(std::string_view path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> files_;  // "/assets/x.js" -> contents
};

}  // namespace made0::frontend
