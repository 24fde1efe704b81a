// The data a run trains on, prepared once, before the Trainer exists: loaded (or given), physics
// chosen when the members ask for "auto", checked against the environment, actions clipped to the
// environment's bound (as the official IQL does) and scaled to +-(1 - 1e-5), rewards scaled,
// observations normalised. The Trainer takes the result as it is and checks nothing again; the
// stored-run loop also stores what loading found (physics evidence, clipped actions) as events.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/data/preprocess.h"
#include "core/env/physics_detect.h"
#include "core/config/train_config.h"

namespace iql {

// What loading found and fixed.
struct DataLoadReport {
  std::optional<PhysicsDetection> detection;  // set when the members asked for physics "auto"
  ActionClipReport clip;                      // actions outside the environment's bound (now clipped)
};

struct PreparedData {
  // The members as a run stores them: validated, resolved, physics chosen when it was "auto".
  std::vector<TrainConfig> members;
  Dataset data;              // preprocessed: the rows the batch sampler draws
  float action_high = 1.0f;  // the environment's action bound the actions were divided by
  std::string reward_mode;   // as applied ("locomotion", "antmaze", "none"), also to online transitions
  double reward_scale = 1.0;
  ObsNormalizer norm;  // enabled with normalize_obs, or by iql-corl
  DataLoadReport report;
};

// Loads members[0].dataset (a built-in name or a file: core/env/dataset_source.h), whose reader has
// validated it. ConfigError for invalid members or members that cannot share one model (before any
// data is read); DataError for data that cannot train in the environment (unreadable, NaN, shapes).
PreparedData prepare_run_data(std::vector<TrainConfig> members);
// The same from a dataset already in memory (tests, generated data), which is validated here.
PreparedData prepare_run_data(std::vector<TrainConfig> members, Dataset raw);

// A member's rules for its data: observations normalised with normalize_obs or for iql-corl (CORL
// normalises states); iql-corl keeps raw rewards where reward_mode is "auto".
bool normalizes_observations(const TrainConfig& c);
std::string applied_reward_mode(const TrainConfig& c);

}  // namespace iql
