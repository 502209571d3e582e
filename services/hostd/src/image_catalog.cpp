#include "made0/hostd/image_catalog.hpp"

#include <set>

#include "made0/hostd/template.hpp"

namespace made0::hostd {
namespace {

constexpr std::size_t kMaxImages = 256;

// CheckVars has every variable a launch defines, with placeholder values.
TemplateVars CheckVars(const std::vector<std::string>& endpoints) {
  TemplateVars vars{{"instance_id", "i-0"},
                    {"private_ip", "0.0.0.0"},
                    {"name", "n"},
                    {"region", "r"},
                    {"az", "z"},
                    {"instance_dir", "/"},
                    {"data_dir", "/"}};
  for (const auto& e : endpoints) vars["port." + e] = "1";
  return vars;
}

bool ValidEndpointName(const std::string& name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

Result<std::vector<std::string>> StringList(const nlohmann::json& entry, const std::string& key,
                                            const std::string& field) {
  std::vector<std::string> out;
  if (!entry.contains(key)) return out;
  const auto& list = entry[key];
  if (!list.is_array()) return Error::Invalid(field, field + " must be an array of strings");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      return Error::Invalid(field + "[" + std::to_string(i) + "]", "must be a string");
    }
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

Result<Image> ParseImage(const nlohmann::json& entry, const std::string& field) {
  if (!entry.is_object()) return Error::Invalid(field, field + " must be an object");
  Image image;
  for (const char* key : {"name", "binary", "description"}) {
    if (!entry.contains(key)) continue;
    if (!entry[key].is_string()) {
      return Error::Invalid(field + "." + key, field + "." + key + " must be a string");
    }
  }
  image.name = entry.value("name", "");
  image.binary = entry.value("binary", "");
  image.description = entry.value("description", "");
  if (image.name.empty() || !ValidEndpointName(image.name)) {
    return Error::Invalid(field + ".name", "an image name is 1-32 of [a-z0-9_-]");
  }
  if (image.binary.empty()) return Error::Invalid(field + ".binary", "binary is required");
  auto args = StringList(entry, "args", field + ".args");
  if (!args) return args.error();
  image.args = std::move(*args);
  auto endpoints = StringList(entry, "endpoints", field + ".endpoints");
  if (!endpoints) return endpoints.error();
  image.endpoints = std::move(*endpoints);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < image.endpoints.size(); ++i) {
    const auto& e = image.endpoints[i];
    const std::string f = field + ".endpoints[" + std::to_string(i) + "]";
    if (!ValidEndpointName(e)) return Error::Invalid(f, "an endpoint name is 1-32 of [a-z0-9_-]");
    if (!seen.insert(e).second) return Error::Invalid(f, "duplicate endpoint " + e);
  }
  if (entry.contains("env")) {
    if (!entry["env"].is_object()) return Error::Invalid(field + ".env", "env must be an object");
    for (const auto& [k, v] : entry["env"].items()) {
      if (!v.is_string()) return Error::Invalid(field + ".env." + k, "must be a string");
      image.env[k] = v.get<std::string>();
    }
  }
  const TemplateVars vars = CheckVars(image.endpoints);
  for (std::size_t i = 0; i < image.args.size(); ++i) {
    auto r = Expand(image.args[i], vars, field + ".args[" + std::to_string(i) + "]");
    if (!r) return r.error();
  }
  for (const auto& [k, v] : image.env) {
    auto r = Expand(v, vars, field + ".env." + k);
    if (!r) return r.error();
  }
  return image;
}

}  // namespace

Catalog DefaultCatalog() {
  Catalog c;
  c["etcd"] = Image{
      .name = "etcd",
      .description =
          "etcd from Debian's etcd-server; a single-member cluster unless user_data "
          "args override --initial-cluster and friends",
      .binary = "/usr/bin/etcd",
      .args = {"--name", "{name}", "--data-dir", "{data_dir}", "--listen-client-urls",
               "http://127.0.0.1:{port.client}", "--advertise-client-urls",
               "http://127.0.0.1:{port.client}", "--listen-peer-urls",
               "http://127.0.0.1:{port.peer}", "--initial-advertise-peer-urls",
               "http://127.0.0.1:{port.peer}", "--initial-cluster",
               "{name}=http://127.0.0.1:{port.peer}"},
      .env = {},
      .endpoints = {"client", "peer"},
  };
  c["test"] = Image{
      .name = "test",
      .description = "made0-testimage: answers GET / with its instance ID and private IP",
      .binary = "made0-testimage",
      .args = {"--port", "{port.http}", "--instance-id", "{instance_id}", "--private-ip",
               "{private_ip}"},
      .env = {},
      .endpoints = {"http"},
  };
  return c;
}

Result<Catalog> ParseCatalog(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("images") || !doc["images"].is_array()) {
    return Error::Invalid("images", "the catalog must be an object with an \"images\" array");
  }
  const auto& images = doc["images"];
  if (images.size() > kMaxImages) {
    return Error::Invalid("images", "at most " + std::to_string(kMaxImages) + " images");
  }
  Catalog c;
  for (std::size_t i = 0; i < images.size(); ++i) {
    auto image = ParseImage(images[i], "images[" + std::to_string(i) + "]");
    if (!image) return image.error();
    if (c.count(image->name)) {
      return Error::Invalid("images[" + std::to_string(i) + "].name",
                            "duplicate image " + image->name);
    }
    c[image->name] = std::move(*image);
  }
  return c;
}

Catalog Merge(Catalog base, const Catalog& overrides) {
  for (const auto& [name, image] : overrides) base[name] = image;
  return base;
}

nlohmann::json ImageJson(const Image& image) {
  return {{"name", image.name},     {"description", image.description},
          {"binary", image.binary}, {"args", image.args},
          {"env", image.env},       {"endpoints", image.endpoints}};
}

Result<std::string> ResolveBinary(const std::string& binary, const std::string& exe_dir,
                                  const std::string& path_env,
                                  const std::function<bool(const std::string&)>& executable) {
  if (!binary.empty() && binary.front() == '/') {
    if (executable(binary)) return binary;
    return Error::NotFound("image binary " + binary + " is not an executable file");
  }
  std::vector<std::string> dirs;
  if (!exe_dir.empty()) dirs.push_back(exe_dir);
  std::size_t start = 0;
  while (start <= path_env.size()) {
    auto end = path_env.find(':', start);
    if (end == std::string::npos) end = path_env.size();
    if (end > start) dirs.push_back(path_env.substr(start, end - start));
    start = end + 1;
  }
  std::string searched;
  for (const auto& dir : dirs) {
    const std::string candidate = dir + "/" + binary;
    if (executable(candidate)) return candidate;
    searched += (searched.empty() ? "" : ", ") + dir;
  }
  return Error::NotFound("image binary " + binary + " not found in " +
                         (searched.empty() ? std::string("(no directories)") : searched));
}

}  // namespace made0::hostd
