// Ant: gym Ant-v2 (D4RL) / Gymnasium Ant-v4 with default arguments. Observations are the 27-dim
// Gymnasium-v4 ones (qpos[2:] + qvel). D4RL's Ant-v2 data has 111 dims: these 27 followed by 84
// clipped contact forces, which are all zero under MuJoCo >= 2.0; pad with zeros to compare.
// The contact cost of Ant-v2 is likewise zero and omitted.
#pragma once
#include <string>
#include <vector>

#include "core/env/mujoco_env.h"

namespace iql {

class AntEnv : public MujocoEnv {
public:
  // physics: "d4rl" (default) or "gymnasium-v4"; throws ConfigError if the model cannot load.
  explicit AntEnv(const std::string& physics = "d4rl");
  int obs_dim() const override { return 27; }
  // qpos[2:] (13) + qvel (14), no clipping.
  std::vector<float> observation() const override;
  // Finite state and 0.2 <= z = qpos[2] <= 1.0.
  bool is_healthy() const override;
  // Torso body xpos[0] (as gym's get_body_com: kinematics of the last mj_step).
  double x_position() const override;

private:
  int torso_ = -1;
};

}  // namespace iql
