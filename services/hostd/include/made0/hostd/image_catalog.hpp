#pragma once
// The image catalog: what an instance of each image runs. An image is a program with argument and
// environment templates (made0/hostd/template.hpp) and named endpoints, each of which gets a free
// 127.0.0.1 port at launch. hostd has built-in images (DefaultCatalog); MADE0_HOSTD_IMAGES may name
// a JSON file that adds images or replaces built-in ones by name:
//
//   {"images": [
//     {"name": "etcd", "binary": "/usr/bin/etcd", "endpoints": ["client", "peer"],
//      "args": ["--name", "{name}", "--data-dir", "{data_dir}", ...],
//      "env": {"ETCD_LOG_LEVEL": "info"}, "description": "etcd 3.4 from Debian"}]}
//
// `binary` is an absolute path, or a bare name looked up next to made0-hostd's own executable and
// then on PATH (ResolveBinary), so a build tree and an installed tree both work.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"

namespace made0::hostd {

struct Image {
  std::string name;
  std::string description;
  std::string binary;
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::vector<std::string> endpoints;  // names: "client", "peer", "http"
};

using Catalog = std::map<std::string, Image, std::less<>>;

// DefaultCatalog: "etcd" (Debian's /usr/bin/etcd, endpoints client and peer, a single-member
// cluster unless user_data passes other flags; etcd takes the last of a repeated flag) and "test"
// (made0-testimage, endpoint http, answering GET / with its instance ID and private IP).
Catalog DefaultCatalog();

// ParseCatalog reads {"images": [...]}; each image's templates are checked against the variables
// hostd defines. Errors are Invalid naming the entry ("images[1].args[3]").
Result<Catalog> ParseCatalog(const nlohmann::json& doc);

// Merge returns base with overrides' images added or replacing those of the same name.
Catalog Merge(Catalog base, const Catalog& overrides);

// ImageJson describes an image for GET /v1/images.
nlohmann::json ImageJson(const Image& image);

// ResolveBinary finds an image's program: an absolute path as is; a bare name in exe_dir, then in
// each directory of path_env (":"-separated). executable(path) says whether a file can be run.
// NotFound names the places searched.
Result<std::string> ResolveBinary(const std::string& binary, const std::string& exe_dir,
                                  const std::string& path_env,
                                  const std::function<bool(const std::string&)>& executable);

}  // namespace made0::hostd
