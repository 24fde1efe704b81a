// A stored population run: P configurations trained as one batched model (see Trainer) by the
// stored-run loop (stored_run/stored_run.h), each member stored as its own run linked by a population
// id, so everything that works on a run works on a member. Runs on the calling thread.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/train/run_control.h"
#include "core/config/train_config.h"
#include "core/train/stored_run/stored_run.h"
#include "core/train/training_types.h"

namespace iql {

using PopulationCallbacks = StoredRunCallbacks;  // the online callbacks are never called

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

using PopulationOutcome = StoredRunOutcome;

// Throws UserError for bad input (including members that cannot share one model) before any run row
// exists; a failure after that marks every member 'failed' and rethrows.
PopulationOutcome run_population(const std::vector<TrainConfig>& members, const PopulationOptions& opt,
                                 RunControl& control, const PopulationCallbacks& cb);

}  // namespace iql
