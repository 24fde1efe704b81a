#include "core/env/half_cheetah.h"

namespace iql {

HalfCheetahEnv::HalfCheetahEnv(const std::string& physics)
    : MujocoEnv({"halfcheetah", "half_cheetah.xml", /*frame_skip=*/5, /*ctrl_cost_weight=*/0.1,
                 /*healthy_reward=*/0.0, ResetNoise::kUniformPosNormalVel, /*noise_scale=*/0.1},
                physics) {}

std::vector<float> HalfCheetahEnv::observation() const {
  std::vector<float> obs;
  obs.reserve(17);
  for (int i = 1; i < model_->nq; ++i) obs.push_back(static_cast<float>(data_->qpos[i]));
  for (int i = 0; i < model_->nv; ++i) obs.push_back(static_cast<float>(data_->qvel[i]));
  return obs;
}

}  // namespace iql
