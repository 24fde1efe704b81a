// Walker2d: gym Walker2d-v2 (D4RL) / Gymnasium Walker2d-v4 with default arguments (left foot
// friction 1.9, right 0.9, as both of those shipped).
#pragma once
#include <string>
#include <vector>

#include "core/env/mujoco_env.h"

namespace iql {

class Walker2dEnv : public MujocoEnv {
public:
  // physics: "d4rl" (default) or "gymnasium-v4"; throws ConfigError if the model cannot load.
  explicit Walker2dEnv(const std::string& physics = "d4rl");
  int obs_dim() const override { return 17; }
  // qpos[1:] (8) + clip(qvel, -10, 10) (9).
  std::vector<float> observation() const override;
  // 0.8 < z = qpos[1] < 2.0 and -1 < angle = qpos[2] < 1 (NaN fails the comparisons).
  bool is_healthy() const override;
};

}  // namespace iql
