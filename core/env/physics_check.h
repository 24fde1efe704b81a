// `iql datasets check-physics`: replays every transition of a dataset one step through our
// environment from the state recovered from its observation (HalfCheetah, Hopper, Walker2d, Ant: only
// the x (and y) position is missing, and dynamics do not depend on it; Pendulum: angle from cos/sin)
// and reports the distribution of next-observation and reward errors. Near-zero errors under one
// physics variant and not the other say which simulator produced the data.
#pragma once
#include <cstdint>
#include <string>

#include "core/data/dataset.h"

namespace iql {

// median and p95 are core/stats quantiles (linear interpolation, numpy's default); all zero when
// nothing was replayed.
struct ErrorStats {
  double mean = 0.0, median = 0.0, p95 = 0.0, max = 0.0;
  double fraction_below_1e4 = 0.0;  // share of transitions with error < 1e-4
};

struct PhysicsCheckResult {
  std::string env, physics;
  int64_t checked = 0;
  int64_t skipped = 0;  // state not recoverable (Hopper/Walker2d velocities clipped at +-10)
  ErrorStats obs_error;     // max |next_obs - replayed| over dimensions, per transition
  ErrorStats reward_error;  // |reward - replayed reward|
  std::string to_json() const;
  std::string to_text() const;
};

// max_transitions <= 0: all. Throws ConfigError for envs without state recovery, DataError on a
// dimension mismatch.
PhysicsCheckResult check_physics(const Dataset& d, const std::string& env, const std::string& physics,
                                 int64_t max_transitions = 0);

}  // namespace iql
