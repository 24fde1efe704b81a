// One stored training run, optionally resumed or fine-tuned online: the stored-run loop
// (stored_run/stored_run.h) with one member, its callbacks without a member index.
// Runs on the calling thread; opens its own store connection.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/train/run_control.h"
#include "core/train/stored_run/stored_run.h"
#include "core/config/train_config.h"
#include "core/train/training_types.h"

namespace iql {

struct RunCallbacks {
  std::function<void(int64_t run_id, const TrainConfig&)> on_started;
  std::function<void(const StepMetrics&)> on_metrics;  // every log_interval steps
  std::function<void(const EvalResult&)> on_evaluation;
  std::function<void(const ProbeSnapshot&)> on_probe;
  std::function<void(const RunEvent&)> on_event;
  std::function<void(int64_t step, int64_t total, double steps_per_s)> on_progress;  // ~2 Hz
  std::function<void(int64_t step, const OnlineStepInfo&)> on_online_episode;  // online phase
  std::function<void(int64_t env_steps, int64_t total, double env_steps_per_s)> on_online_progress;
};

struct RunOptions {
  std::string db_path;              // empty: RunStore::default_path()
  std::string checkpoint_dir;       // empty: <db dir>/<db stem>-checkpoints (runs.db: runs-checkpoints)
  std::optional<int64_t> resume_run_id;  // continue this run from its latest checkpoint
  std::optional<int64_t> steps_override;  // with resume: train to this many steps instead
  // Fine-tune a stored offline run online: a new run (phase 'online', parent = this run) starts from
  // the parent's latest checkpoint and performs cfg.online_steps environment steps. The caller passes
  // the parent's config (TrainConfig::from_json of its config_json) with any online settings changed.
  std::optional<int64_t> finetune_run_id;
  std::string finetune_checkpoint;  // a specific checkpoint of that run (default: its latest)
  std::optional<int64_t> online_steps_override;
  std::string online_dataset_out;  // write the online transitions here (D4RL layout) when non-empty
  std::string name;                 // empty: generated from algorithm, dataset, tau, beta, seed
  std::vector<std::string> tags;
};

// A single run's outcome is its one member's.
using RunOutcome = MemberOutcome;

// Throws UserError (DataError, ConfigError) for bad input before any run row is created; a failure
// after that marks the run 'failed' and rethrows.
RunOutcome run_training(const TrainConfig& cfg, const RunOptions& opt, RunControl& control, const RunCallbacks& cb);

}  // namespace iql
