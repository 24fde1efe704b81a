// Final evaluation: after training, each selected run's last checkpoint is played for many episodes
// (100 by default, where in-training evaluations use ~10) and stored in the run store's
// final_evaluations table with its episode count, seed and every episode's return, so aggregate
// statistics (core/stats/run_scores.h, --eval final) rest on a stated, larger evaluation. Every member
// plays the same episodes (seeds seed, seed+1, ...): a comparison between members is not confounded by
// luckier starting states. Serves `iql runs final-eval`; the GUI can call it from a worker thread.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/store/run_store.h"

namespace iql {

struct FinalEvaluationSettings {
  int episodes = 100;       // >= 1
  std::uint64_t seed = 0;   // episodes are seeded seed, seed + 1, ..., seed + episodes - 1
};

struct FinalEvaluationOutcome {
  RunInfo run;
  std::string checkpoint;       // the file played; empty when skipped
  FinalEvaluationRecord record;  // as stored (valid when skipped is empty)
  double seconds = 0.0;         // wall time of the episodes
  std::string skipped;          // why this run was not evaluated (no checkpoint, file gone)
};

// Resolves `selector` (a run id, population id or sweep id: core/store/run_selection.h) in the store at
// db_path, plays each run's latest checkpoint and stores one final_evaluations row per run (a repeat
// with the same step, episodes and seed replaces the earlier row). Runs without a checkpoint, or whose
// checkpoint file is gone, are reported as skipped. on_done, when set, is called after each run.
// Throws ConfigError for a bad selector, settings or missing store, and DataError for an unreadable
// checkpoint.
std::vector<FinalEvaluationOutcome> run_final_evaluations(
    const std::string& db_path, const std::string& selector, const FinalEvaluationSettings& settings,
    const std::function<void(const FinalEvaluationOutcome&)>& on_done = {});

}  // namespace iql
