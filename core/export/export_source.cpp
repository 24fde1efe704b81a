#include "core/export/export_source.h"

#include <filesystem>

#include "core/util/errors.h"

namespace iql::exporting {

ExportSource run_export_source(RunStore& store, int64_t run_id) {
  auto run = store.get_run(run_id);
  if (!run) throw ConfigError("no run " + std::to_string(run_id) + " in " + store.path());
  auto ckpt = store.latest_checkpoint(run_id);
  if (!ckpt)
    throw ConfigError("run " + std::to_string(run_id) + " ('" + run->name + "', " + run->status +
                      ") has no checkpoint to export: it stopped before its first checkpoint (checkpoints are "
                      "written every checkpoint_interval steps and at the end)");
  if (!std::filesystem::exists(ckpt->path))
    throw DataError(ckpt->path, "", "checkpoint of run " + std::to_string(run_id) + " is missing (moved or deleted)");
  return {ckpt->path, run, ckpt->sha256};
}

ExportSource resolve_export_source(const std::string& arg, const std::string& db, std::optional<int64_t> member) {
  const bool digits = !arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::filesystem::is_regular_file(arg)) {
    if (member) throw ConfigError("--member picks a member of a stored population: give a RUN_ID, not a file");
    if (!std::filesystem::is_regular_file(arg)) throw DataError(arg, "", "no such checkpoint file (nor a run id)");
    return {arg, std::nullopt, ""};
  }
  RunStore store(db.empty() ? RunStore::default_path() : db, RunStore::Mode::read_only);
  int64_t id = std::stoll(arg);
  if (member) {
    auto run = store.get_run(id);
    if (!run) throw ConfigError("no run " + arg + " in " + store.path());
    if (run->population_id.empty()) {
      if (*member != 0) throw ConfigError("run " + arg + " is not a population member: it has only member 0");
    } else {
      std::optional<int64_t> found;
      for (const auto& r : store.list_runs())
        if (r.population_id == run->population_id && r.population_member == *member) found = r.id;
      if (!found)
        throw ConfigError("population " + run->population_id + " of run " + arg + " has no member " +
                          std::to_string(*member));
      id = *found;
    }
  }
  return run_export_source(store, id);
}

}  // namespace iql::exporting
