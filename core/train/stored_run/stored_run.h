// The stored-run loop: P >= 1 members trained as one batched model (a single run is a population of
// one, plus, where asked, its online phase), each member stored as its own run (metrics, evaluations,
// probes, events, checkpoints). The CLI, the GUI, sweep tasks and benchmarks all train through it;
// run_training (training_run.h) and run_population (population_run.h) are its two front doors.
// Runs on the calling thread; opens its own store connection.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/train/run_control.h"
#include "core/config/train_config.h"
#include "core/train/training_types.h"

namespace iql {

// Every callback names the member it is about (0 for a single run).
struct StoredRunCallbacks {
  // population_id is empty for a single run.
  std::function<void(const std::string& population_id, const std::vector<int64_t>& run_ids,
                     const std::vector<TrainConfig>& members)>
      on_started;
  std::function<void(int64_t member, const StepMetrics&)> on_metrics;  // every log_interval steps
  std::function<void(int64_t member, const EvalResult&)> on_evaluation;
  std::function<void(int64_t member, const ProbeSnapshot&)> on_probe;
  std::function<void(int64_t member, const RunEvent&)> on_event;
  // Steps (each one step of every member) and their rate, ~2 Hz.
  std::function<void(int64_t step, int64_t total, double steps_per_s)> on_progress;
  // The online phase of a single run.
  std::function<void(int64_t step, const OnlineStepInfo&)> on_online_episode;
  std::function<void(int64_t env_steps, int64_t total, double env_steps_per_s)> on_online_progress;
};

struct StoredRunRequest {
  std::vector<TrainConfig> members;  // a new run (one member) or population; empty when resuming one
  bool population = false;           // link the members by a population id (a single run has none)
  std::string db_path;               // empty: RunStore::default_path()
  std::string checkpoint_dir;        // empty: <db dir>/<db stem>-checkpoints (runs.db: runs-checkpoints)
  // Continue stored runs from their checkpoints with their stored configs: one run, or a population.
  std::optional<int64_t> resume_run_id;
  std::string resume_population;
  std::optional<int64_t> steps_override;  // with resume: train to this many steps instead
  // Fine-tune a stored offline run online (one member): a new run (phase 'online', parent = this run)
  // starts from the parent's latest checkpoint (or finetune_checkpoint) with members[0]'s settings.
  std::optional<int64_t> finetune_run_id;
  std::string finetune_checkpoint;
  std::optional<int64_t> online_steps_override;
  std::string online_dataset_out;  // write the online transitions here (D4RL layout) when non-empty
  std::vector<std::string> tags;   // on every member's run
  // Per member, for new runs (empty: generated names, no extra tags).
  std::vector<std::string> member_names;
  std::vector<std::vector<std::string>> member_tags;
};

struct MemberOutcome {
  int64_t run_id = 0;
  std::string status;  // finished | stopped
  int64_t steps = 0;
  std::optional<EvalResult> final_evaluation;
  std::string checkpoint_path;
  double steps_per_s = 0.0;
  std::string db_path;
  std::string online_dataset_path;
  bool nothing_to_do = false;  // resumed runs already at their step budget: nothing trained or written
};

struct StoredRunOutcome {
  std::string population_id;  // empty for a single run
  std::string status;         // finished | stopped
  int64_t steps = 0;
  bool nothing_to_do = false;
  double steps_per_s = 0.0;  // steps of every member per second (member-steps/s = P x this)
  std::string db_path;
  std::string device_json;  // the device facts the run recorded last (DeviceFacts as JSON), "" if nothing ran
  std::vector<MemberOutcome> members;
};

// Throws UserError (DataError, ConfigError) for bad input, including members that cannot share one
// model, before any run row is created; a failure after that marks every member 'failed' and rethrows.
StoredRunOutcome run_stored(const StoredRunRequest& request, RunControl& control, const StoredRunCallbacks& cb);

}  // namespace iql
