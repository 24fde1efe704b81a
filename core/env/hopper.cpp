#include "core/env/hopper.h"

#include <algorithm>
#include <cmath>

namespace iql {

HopperEnv::HopperEnv(const std::string& physics)
    : MujocoEnv({"hopper", "hopper.xml", /*frame_skip=*/4, /*ctrl_cost_weight=*/1e-3,
                 /*healthy_reward=*/1.0, ResetNoise::kUniformBoth, /*noise_scale=*/5e-3},
                physics) {}

std::vector<float> HopperEnv::observation() const {
  std::vector<float> obs;
  obs.reserve(11);
  for (int i = 1; i < model_->nq; ++i) obs.push_back(static_cast<float>(data_->qpos[i]));
  for (int i = 0; i < model_->nv; ++i)
    obs.push_back(static_cast<float>(std::clamp(data_->qvel[i], -10.0, 10.0)));
  return obs;
}

bool HopperEnv::is_healthy() const {
  const std::vector<double> s = state_vector();
  for (size_t i = 0; i < s.size(); ++i) {
    if (!std::isfinite(s[i])) return false;
    if (i >= 2 && !(std::abs(s[i]) < 100.0)) return false;
  }
  const double z = data_->qpos[1], angle = data_->qpos[2];
  return z > 0.7 && std::abs(angle) < 0.2;
}

}  // namespace iql
