#include "core/env/walker2d.h"

#include <algorithm>

namespace iql {

Walker2dEnv::Walker2dEnv(const std::string& physics)
    : MujocoEnv({"walker2d", "walker2d.xml", /*frame_skip=*/4, /*ctrl_cost_weight=*/1e-3,
                 /*healthy_reward=*/1.0, ResetNoise::kUniformBoth, /*noise_scale=*/5e-3},
                physics) {}

std::vector<float> Walker2dEnv::observation() const {
  std::vector<float> obs;
  obs.reserve(17);
  for (int i = 1; i < model_->nq; ++i) obs.push_back(static_cast<float>(data_->qpos[i]));
  for (int i = 0; i < model_->nv; ++i)
    obs.push_back(static_cast<float>(std::clamp(data_->qvel[i], -10.0, 10.0)));
  return obs;
}

bool Walker2dEnv::is_healthy() const {
  const double z = data_->qpos[1], angle = data_->qpos[2];
  return z > 0.8 && z < 2.0 && angle > -1.0 && angle < 1.0;
}

}  // namespace iql
