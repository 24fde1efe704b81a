// Dataset preprocessing applied once before training (IQL reference, ../shared/reference/iql.md):
// action scaling to [-1, 1] and clipping to +-(1 - 1e-5), reward modes, observation normalisation.
#pragma once
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

// Per-dimension mean/std used to normalise observations (identity when disabled).
struct ObsNormalizer {
  std::vector<float> mean, std;
  bool enabled() const { return !mean.empty(); }
  void apply(float* obs, int64_t rows, int dim) const;
};

// Divides actions by the environment's action bound, then clips to +-(1 - 1e-5) so log-probs stay
// finite at the tanh boundary.
void scale_and_clip_actions(Dataset& d, float action_high);

// Recorded actions outside the environment's bounds (real D4RL Hopper files hold values like 2.12).
// The official IQL clips dataset actions before training; clip_actions_to_bound does the same at
// load time and reports how much it changed, so the GUI can warn and the run can store it.
struct ActionClipReport {
  float bound = 1.0f;
  int64_t rows = 0;
  int64_t rows_clipped = 0;  // rows with at least one |action| > bound
  double max_abs = 0.0;      // largest |action| before clipping
  double fraction() const { return rows > 0 ? static_cast<double>(rows_clipped) / rows : 0.0; }
  std::string to_text() const;  // "12.5% of rows (125 of 1000) had actions outside [-1, 1] (max |a| 2.12); clipped"
  std::string to_json() const;
};

// Counts without changing anything.
ActionClipReport count_actions_outside(const Dataset& d, float action_high);
// Clamps every action to [-action_high, action_high] (scale_and_clip_actions then maps to
// +-(1 - 1e-5)); returns what it found.
ActionClipReport clip_actions_to_bound(Dataset& d, float action_high);

// mode "locomotion": r * 1000 / (max episode return - min episode return), episodes split at
// terminals, timeouts and observation discontinuities; "antmaze": r - 1; "none": unchanged.
// Returns the factor applied (1 for none/antmaze).
double preprocess_rewards(Dataset& d, const std::string& mode);

// Mean/std over dataset observations (CORL: std + 1e-3), applied to observations and next_observations.
ObsNormalizer normalize_observations(Dataset& d, float eps = 1e-3f);

}  // namespace iql
