#pragma once
// StateStore keeps hostd's records as one JSON file per object under <data_dir>/state, written
// atomically: the new content goes to a temporary file that is fsynced and renamed over the old
// one, and the directory is fsynced, so after a crash (SIGKILL, power loss) each file holds either
// its old or its new content, never a torn mix. One small file per object keeps a write
// proportional to the change, not to the number of instances.
//
//   StateStore store("/var/lib/made0/hostd");
//   if (Status s = store.Open(); !s) ...
//   (void)store.Save("i-0123...", ToStored(record));
//   for (const auto& doc : *store.LoadAll()) ...

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"

namespace made0::hostd {

class StateStore {
 public:
  explicit StateStore(std::string data_dir);

  // Open creates the directories and removes temporary files a crash left behind.
  Status Open();
  // Save replaces <name>.json atomically. name is a cloud ID or another plain file name.
  Status Save(const std::string& name, const nlohmann::json& doc);
  Status Remove(const std::string& name);
  // Load reads one document; NotFound if it does not exist.
  Result<nlohmann::json> Load(const std::string& name) const;
  // LoadAll reads every document. A file that does not parse is skipped with a warning (it can
  // only come from outside hostd, as writes are atomic).
  Result<std::vector<nlohmann::json>> LoadAll() const;

  const std::string& state_dir() const { return state_dir_; }

 private:
  std::string state_dir_;
};

// WriteFileAtomically writes content to path through path + ".tmp", fsync and rename, then
// fsyncs the directory.
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace made0::hostd
