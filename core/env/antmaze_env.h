// D4RL AntMaze -v2 (antmaze-umaze, antmaze-medium, antmaze-large) over MuJoCo's C API; facts in
// shared/reference/antmaze.md. D4RL's own ant (resources/mjcf/antmaze_ant.xml, not gym's Ant) with
// the maze walls inserted, actions in [-1, 1] scaled to torques 30 a (NormalizedBoxEnv), a 29-dim
// observation qpos[0:15] + qvel[0:14] without the goal, the goal re-drawn at every reset, reward 1
// within 0.5 of the goal (else 0) and done on it, time limit 700 (umaze) / 1000 steps.
// The generator reuses it with done-on-success off, explicit starts and explicit goals.
#pragma once
#include <array>
#include <random>
#include <string>
#include <vector>

#include "core/env/maze_goal.h"
#include "core/env/maze_map.h"
#include "core/env/mujoco_env.h"

namespace iql {

class AntMazeEnv : public MujocoEnv {
public:
  static constexpr double kGoalRadius = kMazeGoalRadius;
  static constexpr double kTorqueScale = 30.0;

  // maze: "umaze", "medium" or "large" (or "antmaze-..."); physics "d4rl" (default) or
  // "gymnasium-v4". Throws ConfigError for an unknown maze or a model that cannot load.
  explicit AntMazeEnv(const std::string& maze, const std::string& physics = "d4rl");

  int obs_dim() const override { return 29; }
  int max_episode_steps() const override { return maze_.max_episode_steps; }
  const MazeMap& maze() const { return maze_; }

  // Seeds both the reset noise and the goal stream.
  std::vector<float> reset(uint64_t seed) override;
  // qpos = qpos0 + U(-0.1, 0.1), qvel = 0.1 N(0, 1) (start at the origin), then a new goal from
  // sample_goal(evaluation goal cell).
  std::vector<float> reset() override;
  // ctrl = 30 clip(a, -1, 1), 5 mj_steps. reward = 1 if |xy - goal| <= 0.5 else 0; terminal = that
  // (when done_on_success); timeout from the max_episode_steps-th step on.
  StepResult step(const std::vector<float>& action) override;

  std::vector<float> observation() const override;
  bool is_healthy() const override { return true; }  // AntMaze has no unhealthy termination

  // D4RL goal_sampler for one cell: centre + U(0,1) + U(0,0.5) per axis, clamped at >= 0,
  // drawn from this env's goal stream.
  std::array<double, 2> sample_goal(Cell cell);
  void set_goal(double x, double y) { goal_ = {x, y}; }
  std::array<double, 2> goal() const { return goal_; }
  std::array<double, 2> xy() const { return {data_->qpos[0], data_->qpos[1]}; }
  // Moves the torso in the plane (D4RL non_zero_reset's set_xy), keeping everything else.
  void set_xy(double x, double y);
  void set_done_on_success(bool on) { done_on_success_ = on; }
  // U[lo, hi) from the goal stream (the generator draws its starts from it too).
  double uniform(double lo, double hi);

private:
  const MazeMap& maze_;
  std::array<double, 2> goal_{0.0, 0.0};
  bool done_on_success_ = true;
  std::mt19937_64 goal_rng_{0};
};

}  // namespace iql
