#include "core/env/ant.h"

#include <cmath>

#include "core/util/errors.h"

namespace iql {

AntEnv::AntEnv(const std::string& physics)
    : MujocoEnv({"ant", "ant.xml", /*frame_skip=*/5, /*ctrl_cost_weight=*/0.5,
                 /*healthy_reward=*/1.0, ResetNoise::kUniformPosNormalVel, /*noise_scale=*/0.1},
                physics) {
  torso_ = mj_name2id(model_, mjOBJ_BODY, "torso");
  if (torso_ < 0) throw ConfigError("ant.xml: no body named 'torso'");
}

std::vector<float> AntEnv::observation() const {
  std::vector<float> obs;
  obs.reserve(27);
  for (int i = 2; i < model_->nq; ++i) obs.push_back(static_cast<float>(data_->qpos[i]));
  for (int i = 0; i < model_->nv; ++i) obs.push_back(static_cast<float>(data_->qvel[i]));
  return obs;
}

bool AntEnv::is_healthy() const {
  for (double v : state_vector())
    if (!std::isfinite(v)) return false;
  const double z = data_->qpos[2];
  return z >= 0.2 && z <= 1.0;
}

double AntEnv::x_position() const { return data_->xpos[3 * torso_]; }

}  // namespace iql
