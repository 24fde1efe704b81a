// D4RL-style dataset generation, the way D4RL produced its locomotion datasets: train a behaviour
// policy online with SAC, keep its replay buffer until its evaluation return first reaches "medium"
// (one third of the way from the random to the expert reference return), then record transitions of
// that medium policy, of the final ("expert") policy, and of uniform random actions;
// medium-expert = medium followed by expert. Each kind is handed out (on_dataset) as soon as it
// exists: random first (no SAC), medium and medium-replay when SAC first reaches medium, expert and
// medium-expert at the end; so a failure late in SAC keeps what was done. Torch-free header.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "core/data/dataset.h"

namespace iql {

struct GenerationOptions {
  std::string env = "hopper";
  std::string physics = "d4rl";
  int64_t transitions = 1000000;  // per recorded dataset (random, medium, expert)
  int64_t sac_steps = 1000000;    // SAC environment steps at most
  int64_t start_steps = 10000;    // uniform random actions before SAC acts
  int64_t eval_interval = 5000;
  int eval_episodes = 5;
  double medium_fraction = 1.0 / 3.0;  // of the way from REF_MIN to REF_MAX
  uint64_t seed = 0;
  int hidden = 256;
  int threads = 2;
  std::function<void(const std::string& phase, int64_t done, int64_t total, double last_return)> on_progress;
  // Called once per kind, in the order the kinds come to exist (see above), e.g. to write each file.
  std::function<void(const std::string& kind, const Dataset& data)> on_dataset;
};

struct GeneratedDatasets {
  Dataset random, medium, medium_replay, expert, medium_expert;
  double medium_threshold = 0.0;
  double medium_policy_return = 0.0;  // evaluation return when the medium snapshot was taken
  double expert_policy_return = 0.0;  // final evaluation return
  int64_t medium_at_step = -1;        // SAC step of the medium snapshot (-1: never reached)
  double seconds = 0.0;
  const Dataset& by_kind(const std::string& kind) const;  // random|medium|medium-replay|expert|medium-expert
};

// Throws ConfigError for an env without reference returns.
GeneratedDatasets generate_d4rl_style(const GenerationOptions& o);

// Only the random kind: o.transitions transitions of uniform random actions in [-1, 1], episodes cut
// by terminal or time limit. No SAC, so it takes seconds; identical to generate_d4rl_style's random
// dataset for the same options. Calls o.on_dataset("random", ...) too.
Dataset generate_random_dataset(const GenerationOptions& o);

// "hopper-medium-replay" -> {"hopper", "medium-replay"}; ConfigError when the kind is unknown.
std::pair<std::string, std::string> split_dataset_name(const std::string& name);

}  // namespace iql
