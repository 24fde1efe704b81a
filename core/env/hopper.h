// Hopper: gym Hopper-v2 (D4RL) / Gymnasium Hopper-v4 with default arguments.
#pragma once
#include <string>
#include <vector>

#include "core/env/mujoco_env.h"

namespace iql {

class HopperEnv : public MujocoEnv {
public:
  // physics: "d4rl" (default) or "gymnasium-v4"; throws ConfigError if the model cannot load.
  explicit HopperEnv(const std::string& physics = "d4rl");
  int obs_dim() const override { return 11; }
  // qpos[1:] (5) + clip(qvel, -10, 10) (6).
  std::vector<float> observation() const override;
  // Finite, every |state[2:]| < 100, z = qpos[1] > 0.7 and |angle = qpos[2]| < 0.2.
  bool is_healthy() const override;
};

}  // namespace iql
