// D4RL's AntMaze data recipe (scripts/generation/generate_ant_maze_datasets.py and
// relabel_antmaze_rewards.py; shared/reference/antmaze.md), natively: D4RL's low-level policy
// (GoalReachingPolicy, sampled, plus N(0, 0.2^2) action noise, clipped) steered by D4RL's BFS
// waypoint planner (quirks kept) toward a goal re-drawn every episode; 1000-step time-outs
// (1001 transitions per episode); rewards and terminals relabelled afterwards against one
// evaluation goal drawn once; infos/goal, infos/qpos, infos/qvel recorded after the step.
// Episodes run in lockstep groups of `batch` (one batched policy forward per step per group);
// groups are spread over worker threads, each owning its physics. Every episode draws from its
// own random stream, so the output depends on (seed, batch, transitions) but not on threads.
// Torch-free header.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace iql {

struct AntMazeGenOptions {
  std::string dataset = "antmaze-umaze";  // see antmaze_dataset_names()
  int64_t transitions = 1000000;
  uint64_t seed = 0;
  int threads = 2;           // worker threads (physics and their groups' policy forwards)
  int batch = 25;            // episodes per lockstep group
  int episode_steps = 1000;  // D4RL's max_episode_steps: the time-out comes at ts >= this, so 1001 rows
  double action_noise = 0.2;
  std::string physics = "d4rl";
  std::string policy_path;   // empty: GoalReachingPolicy::default_path()
  std::function<void(int64_t done, int64_t total)> on_progress;  // from the calling thread
};

struct AntMazeGenerated {
  Dataset data;               // relabelled rewards/terminals, timeouts, next_observations (true)
  std::vector<float> goals;   // N x 2: the navigation goal of each row's episode (infos/goal)
  std::vector<float> qpos;    // N x 15, after the step (infos/qpos)
  std::vector<float> qvel;    // N x 14, after the step (infos/qvel)
  std::array<double, 2> eval_goal{0, 0};  // the relabelling goal
  int64_t episodes = 0, full_episodes = 0, reward_transitions = 0;
  int64_t planner_fallbacks = 0;  // steps where BFS found no path and the goal itself was the waypoint
  double seconds = 0, physics_seconds = 0, policy_seconds = 0, planner_seconds = 0;  // per-thread sums
};

// The six D4RL AntMaze dataset names: antmaze-umaze, antmaze-umaze-diverse, antmaze-medium-play,
// antmaze-medium-diverse, antmaze-large-play, antmaze-large-diverse.
const std::vector<std::string>& antmaze_dataset_names();
bool is_antmaze_dataset_name(const std::string& name);

// Throws ConfigError for an unknown dataset name or bad options, DataError if the policy file is
// missing or malformed.
AntMazeGenerated generate_antmaze(const AntMazeGenOptions& o);

// The D4RL layout plus next_observations, infos/goal, infos/qpos, infos/qvel and metadata/*.
void write_antmaze_hdf5(const AntMazeGenerated& g, const std::string& path);

}  // namespace iql
