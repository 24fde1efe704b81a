// An in-memory offline RL dataset of transitions, stored as contiguous row-major float arrays
// (torch-free so loaders, writers and the inspector compile fast). Row i is the transition
// (observations[i], actions[i], rewards[i], next_observations[i], terminals[i], timeouts[i]).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace iql {

struct Dataset {
  std::string source;  // file path or built-in name, used in error messages
  int obs_dim = 0;
  int act_dim = 0;
  std::vector<float> observations;       // size() * obs_dim
  std::vector<float> actions;            // size() * act_dim
  std::vector<float> rewards;            // size()
  std::vector<float> next_observations;  // size() * obs_dim
  std::vector<uint8_t> terminals;        // size(): environment termination (no bootstrap)
  std::vector<uint8_t> timeouts;         // size(): time-limit truncation (bootstrap continues)
  std::vector<int64_t> episode_starts;   // first row of each episode, ascending, starts with 0
  std::map<std::string, std::string> metadata;  // provenance: generator, env, seed, ...

  int64_t size() const { return static_cast<int64_t>(rewards.size()); }
  int64_t num_episodes() const { return static_cast<int64_t>(episode_starts.size()); }

  // What ends an episode besides a break in the data (next_observations[i] != observations[i+1]).
  // AntMaze data marks "goal reached" as terminal on every row near the goal while the episode runs
  // on to its time limit, so there only timeouts end one (D4RL's antmaze files: 1000-step episodes).
  enum class EpisodeEnds { TerminalsAndTimeouts, TimeoutsOnly };
  // Rebuilds episode_starts: an episode ends at a terminal (unless TimeoutsOnly), a timeout, or where
  // next_observations[i] != observations[i+1] (the split IQL uses for its return range).
  void rebuild_episode_index(EpisodeEnds ends = EpisodeEnds::TerminalsAndTimeouts);
  // Sum of rewards per episode, in episode order.
  std::vector<double> episode_returns() const;
  // Throws DataError if array sizes disagree or any value is NaN/Inf.
  void validate() const;
};

}  // namespace iql
