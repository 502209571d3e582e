#include "made0/hostd/state_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "made0/core/log.hpp"

namespace made0::hostd {
namespace {

namespace fs = std::filesystem;

Error Io(const std::string& what, const std::string& path) {
  return Error::Internal(what + " " + path + ": " + std::strerror(errno));
}

Status FsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Io("open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Io("fsync", path);
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Io("open", tmp);
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = Io("write", tmp);
      ::close(fd);
      return e;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Error e = Io("fsync", tmp);
    ::close(fd);
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Io("rename", tmp);
  return FsyncPath(fs::path(path).parent_path().string(), O_RDONLY | O_DIRECTORY);
}

StateStore::StateStore(std::string data_dir) : state_dir_(std::move(data_dir) + "/state") {}

Status StateStore::Open() {
  std::error_code ec;
  fs::create_directories(state_dir_, ec);
  if (ec) return Error::Internal("cannot create " + state_dir_ + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(state_dir_, ec)) {
    if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
  }
  if (ec) return Error::Internal("cannot read " + state_dir_ + ": " + ec.message());
  return Status::Ok();
}

Status StateStore::Save(const std::string& name, const nlohmann::json& doc) {
  return WriteFileAtomically(state_dir_ + "/" + name + ".json", doc.dump(1));
}

Status StateStore::Remove(const std::string& name) {
  const std::string path = state_dir_ + "/" + name + ".json";
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Io("unlink", path);
  return FsyncPath(state_dir_, O_RDONLY | O_DIRECTORY);
}

Result<nlohmann::json> StateStore::Load(const std::string& name) const {
  const std::string path = state_dir_ + "/" + name + ".json";
  std::ifstream in(path);
  if (!in) return Error::NotFound(path + " does not exist");
  std::stringstream s;
  s << in.rdbuf();
  auto doc = nlohmann::json::parse(s.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error::Internal(path + " is not valid JSON");
  return doc;
}

Result<std::vector<nlohmann::json>> StateStore::LoadAll() const {
  std::vector<nlohmann::json> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(state_dir_, ec)) {
    if (entry.path().extension() != ".json") continue;
    auto doc = Load(entry.path().stem().string());
    if (!doc) {
      log::Warn("skipping unreadable state file",
                {{"path", entry.path().string()}, {"error", doc.error().message}});
      continue;
    }
    out.push_back(std::move(*doc));
  }
  if (ec) return Error::Internal("cannot read " + state_dir_ + ": " + ec.message());
  return out;
}

}  // namespace made0::hostd
