// How the GUI opens the run store. Browsing never writes (Mode::read_only: no migration, no marking
// of interrupted runs; a dead writer's run still shows as interrupted); an edit the user asked for
// (rename, tags, notes, delete) opens a short-lived writable connection for just that change.
#pragma once
#include <memory>
#include <string>

#include "core/store/run_store.h"

namespace iqlui {

inline std::shared_ptr<iql::RunStore> openStoreForReading(const std::string& path) {
  return std::make_shared<iql::RunStore>(path, iql::RunStore::Mode::read_only);
}

inline iql::RunStore openStoreForEditing(const iql::RunStore& view) {
  return iql::RunStore(view.path(), iql::RunStore::Mode::read_write);
}

}  // namespace iqlui
