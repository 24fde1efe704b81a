// HalfCheetah: gym HalfCheetah-v2 (D4RL) / Gymnasium HalfCheetah-v4 with default arguments.
#pragma once
#include <string>
#include <vector>

#include "core/env/mujoco_env.h"

namespace iql {

class HalfCheetahEnv : public MujocoEnv {
public:
  // physics: "d4rl" (default) or "gymnasium-v4"; throws ConfigError if the model cannot load.
  explicit HalfCheetahEnv(const std::string& physics = "d4rl");
  int obs_dim() const override { return 17; }
  // qpos[1:] (8) + qvel (9), no clipping.
  std::vector<float> observation() const override;
  // Never terminates.
  bool is_healthy() const override { return true; }
};

}  // namespace iql
