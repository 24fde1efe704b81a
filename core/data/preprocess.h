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

// mode "locomotion": r * 1000 / (max episode return - min episode return), episodes split at
// terminals, timeouts and observation discontinuities; "antmaze": r - 1; "none": unchanged.
// Returns the factor applied (1 for none/antmaze).
double preprocess_rewards(Dataset& d, const std::string& mode);

// Mean/std over dataset observations (CORL: std + 1e-3), applied to observations and next_observations.
ObsNormalizer normalize_observations(Dataset& d, float eps = 1e-3f);

}  // namespace iql
