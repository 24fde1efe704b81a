// When an AntMaze episode has reached its goal, defined once: D4RL's rule is "within 0.5 of the goal
// in the plane", which the environment rewards with 1 (and ends the episode on), so an evaluation
// episode reached its goal exactly when its (sparse) return is positive. Used by the environment's
// step, the generator's reward relabelling, and the CLI's and GUI's maze views. Torch-free, Qt-free.
#pragma once
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

namespace iql {

constexpr double kMazeGoalRadius = 0.5;

inline bool within_goal(double x, double y, const std::array<double, 2>& goal) {
  const double dx = x - goal[0], dy = y - goal[1];
  return std::sqrt(dx * dx + dy * dy) <= kMazeGoalRadius;
}

// Episode e of an evaluation with these returns; false when there is no return for it.
inline bool episode_reached_goal(const std::vector<double>& returns, size_t e) {
  return e < returns.size() && returns[e] > 0.0;
}

}  // namespace iql
