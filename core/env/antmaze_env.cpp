#include "core/env/antmaze_env.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "core/util/errors.h"

namespace iql {

namespace {

MujocoEnv::Spec antmaze_spec(const MazeMap& m) {
  MujocoEnv::Spec s;
  s.name = "antmaze-" + m.name;
  s.model_file = "antmaze_ant.xml";
  s.frame_skip = 5;
  s.noise = MujocoEnv::ResetNoise::kUniformPosNormalVel;
  s.noise_scale = 0.1;
  return s;
}

std::function<std::string(const std::string&)> insert_walls(const MazeMap& m) {
  return [walls = m.walls_mjcf()](const std::string& xml) {
    const size_t end = xml.rfind("</worldbody>");
    if (end == std::string::npos) throw ConfigError("antmaze_ant.xml: no </worldbody> to insert the maze into");
    return xml.substr(0, end) + walls + xml.substr(end);
  };
}

}  // namespace

AntMazeEnv::AntMazeEnv(const std::string& maze, const std::string& physics)
    : MujocoEnv(antmaze_spec(maze_map(maze)), physics, insert_walls(maze_map(maze))), maze_(maze_map(maze)) {
  if (model_->nq != 15 || model_->nv != 14 || model_->nu != 8)
    throw ConfigError("antmaze_ant.xml: expected nq 15, nv 14, nu 8, got " + std::to_string(model_->nq) + ", " +
                      std::to_string(model_->nv) + ", " + std::to_string(model_->nu));
}

double AntMazeEnv::uniform(double lo, double hi) {
  const double u = static_cast<double>(goal_rng_() >> 11) * (1.0 / 9007199254740992.0);
  return lo + (hi - lo) * u;
}

std::vector<float> AntMazeEnv::reset(uint64_t seed) {
  goal_rng_.seed(seed ^ 0x9e3779b97f4a7c15ULL);  // a stream apart from the reset noise's
  return MujocoEnv::reset(seed);                  // calls reset() below
}

std::vector<float> AntMazeEnv::reset() {
  MujocoEnv::reset();
  goal_ = sample_goal(maze_.eval_goal_cell());
  return observation();
}

std::array<double, 2> AntMazeEnv::sample_goal(Cell cell) {
  const auto [cx, cy] = maze_.cell_centre(cell);
  const double x = cx + uniform(0.0, 0.25 * MazeMap::kScale), y = cy + uniform(0.0, 0.25 * MazeMap::kScale);
  const double rx = uniform(0.0, 0.5) * 0.25 * MazeMap::kScale, ry = uniform(0.0, 0.5) * 0.25 * MazeMap::kScale;
  return {std::max(x + rx, 0.0), std::max(y + ry, 0.0)};
}

void AntMazeEnv::set_xy(double x, double y) {
  if (!started_) throw std::logic_error(name() + ": set_xy called before reset()");
  data_->qpos[0] = x;
  data_->qpos[1] = y;
  mj_forward(model_, data_);
}

std::vector<float> AntMazeEnv::observation() const {
  std::vector<float> obs(29);
  for (int i = 0; i < 15; ++i) obs[i] = static_cast<float>(data_->qpos[i]);
  for (int i = 0; i < 14; ++i) obs[15 + i] = static_cast<float>(data_->qvel[i]);
  return obs;
}

StepResult AntMazeEnv::step(const std::vector<float>& action) {
  if (!started_) throw std::logic_error(name() + ": step called before reset()");
  if (action.size() != 8)
    throw std::invalid_argument(name() + ": expected 8 action values, got " + std::to_string(action.size()));
  for (int i = 0; i < 8; ++i) data_->ctrl[i] = kTorqueScale * std::clamp(static_cast<double>(action[i]), -1.0, 1.0);
  for (int k = 0; k < frame_skip(); ++k) mj_step(model_, data_);
  ++steps_;
  StepResult r;
  r.observation = observation();
  const bool success = within_goal(data_->qpos[0], data_->qpos[1], goal_);
  r.reward = success ? 1.0 : 0.0;
  r.terminal = done_on_success_ && success;
  r.timeout = steps_ >= max_episode_steps();
  return r;
}

}  // namespace iql
