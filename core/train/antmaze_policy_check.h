// Does D4RL's low-level policy walk under our observation layout and physics? Two checks:
// - reach: from rest at the centre of an open arena, steer toward a waypoint 4 m away (directions
//   spread evenly around the circle) and count how often the torso gets within 0.5 m of it within
//   100 steps;
// - navigate: evaluation episodes of an AntMaze env (goal re-drawn, done on success, 700/1000
//   steps) driven by the BFS planner + the policy; success rate and the xy paths (for maze views).
// Each runs with the policy sampled plus N(0, 0.2^2) noise (as D4RL generated data) or with its
// mean action tanh(mean) (deterministic). Episodes run in lockstep with one batched forward.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace iql {

struct PolicyCheckOptions {
  std::string maze = "umaze";  // for navigate
  int reach_trials = 100;
  double reach_distance = 4.0;
  int reach_steps = 100;
  int episodes = 100;          // navigate
  bool sampled = true;         // false: deterministic mean action, no noise
  double action_noise = 0.2;   // when sampled
  uint64_t seed = 0;
  std::string physics = "d4rl";
  std::string policy_path;     // empty: default
};

struct PolicyCheckResult {
  int reach_trials = 0, reached = 0;
  double reach_mean_steps = 0;  // over trials that reached
  int episodes = 0, successes = 0;
  double success_mean_steps = 0;
  std::vector<std::vector<float>> paths;  // navigate: xy pairs per episode
  std::vector<std::array<double, 2>> goals;
  double seconds = 0;
  std::string to_text() const;
};

PolicyCheckResult check_antmaze_policy(const PolicyCheckOptions& o);

}  // namespace iql
