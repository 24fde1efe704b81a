// What an evaluation can record besides returns, when asked (maze views of evaluation trajectories):
// each episode's observation[0:2] from reset to its end (AntMaze: the torso's xy) and, on AntMaze,
// each episode's goal. Torch-free; kept apart from EvalResult so that recording costs nothing unless
// a caller passes somewhere to put it.
#pragma once
#include <array>
#include <string>
#include <vector>

namespace iql {

struct EvaluationPaths {
  std::string env;                          // the environment the episodes ran in
  std::vector<std::vector<float>> xy;       // per episode: x0, y0, x1, y1, ... (episode length + 1 points)
  std::vector<std::array<double, 2>> goals;  // per episode on AntMaze, else empty
};

}  // namespace iql
