// A stored population run: P configurations trained as one batched model (see Trainer), each member
// stored as its own run (metrics, evaluations, probes, events, checkpoints) linked by a population id,
// so everything that works on a run works on a member. Runs on the calling thread.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/train/run_control.h"
#include "core/train/train_config.h"
#include "core/train/training_run.h"
#include "core/train/training_types.h"

namespace iql {

struct PopulationCallbacks {
  std::function<void(const std::string& population_id, const std::vector<int64_t>& run_ids,
                     const std::vector<TrainConfig>& members)>
      on_started;
  std::function<void(int64_t member, const StepMetrics&)> on_metrics;  // every log_interval steps
  std::function<void(int64_t member, const EvalResult&)> on_evaluation;
  std::function<void(int64_t member, const ProbeSnapshot&)> on_probe;
  std::function<void(int64_t member, const RunEvent&)> on_event;
  // Population steps (each is one step of every member) and their rate, ~2 Hz.
  std::function<void(int64_t step, int64_t total, double steps_per_s)> on_progress;
};

struct PopulationOptions {
  std::string db_path;         // empty: RunStore::default_path()
  std::string checkpoint_dir;  // as RunOptions
  std::string resume_population;          // continue this population from its members' checkpoints
  std::optional<int64_t> steps_override;  // with resume: train to this many steps instead
  std::vector<std::string> tags;                      // on every member's run
  // Per member, for a new population (empty: generated names, no extra tags); a sweep names and tags
  // each member after its point in the sweep.
  std::vector<std::string> member_names;
  std::vector<std::vector<std::string>> member_tags;
};

struct PopulationOutcome {
  std::string population_id;
  std::string status;  // finished | stopped
  int64_t steps = 0;
  bool nothing_to_train = false;  // resumed a population already at its step budget
  double steps_per_s = 0.0;  // population steps per second (member-steps/s = P x this)
  std::string db_path;
  std::vector<RunOutcome> members;
};

// Throws UserError for bad input (including members that cannot share one model) before any run row
// exists; a failure after that marks every member 'failed' and rethrows.
PopulationOutcome run_population(const std::vector<TrainConfig>& members, const PopulationOptions& opt,
                                 RunControl& control, const PopulationCallbacks& cb);

}  // namespace iql
