// What an export reads: a checkpoint file given directly, or a stored run's latest checkpoint (a
// population's member K with --member). Torch-free (the run store and the file system only).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/store/run_store.h"

namespace iql::exporting {

struct ExportSource {
  std::string checkpoint;
  std::optional<RunInfo> run;  // when named by run id
  std::string checkpoint_sha256;  // as the store recorded it; empty for a file given directly
};

// `run_or_checkpoint`: an existing file is a checkpoint; otherwise a run id in the store at `db`
// (RunStore::default_path() when empty). member: the population member of that run's population to
// export instead (its own run id). ConfigError naming the run when it has no checkpoint (a run stopped
// before its first checkpoint) or the member does not exist; DataError when the file is missing.
ExportSource resolve_export_source(const std::string& run_or_checkpoint, const std::string& db,
                                   std::optional<int64_t> member = std::nullopt);
// The latest checkpoint of run `run_id` in `store` (ConfigError when it has none).
ExportSource run_export_source(RunStore& store, int64_t run_id);

}  // namespace iql::exporting
