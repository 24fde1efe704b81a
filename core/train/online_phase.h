// Online fine-tuning after offline training (IQL paper, section 5.3): the same agent keeps learning
// from its own interaction. The replay buffer is pre-filled with the whole (preprocessed) dataset;
// actions are sampled from the stochastic policy; a time-limit truncation keeps bootstrapping while a
// real terminal stops it; the actor lr schedule is frozen. Core-private (torch).
#pragma once
#include <memory>
#include <random>
#include <string>

#include "core/algo/agent.h"
#include "core/data/preprocess.h"
#include "core/data/replay_buffer.h"
#include "core/env/env.h"
#include "core/train/training_types.h"

namespace iql::train {

struct OnlineOptions {
  int64_t capacity = 2000000;
  int64_t online_steps = 1000000;  // sizes the raw record of online transitions
  int updates_per_env_step = 1;
  int batch_size = 256;
  std::string reward_mode = "locomotion";  // the offline preprocessing, applied to online rewards too
  double reward_scale = 1.0;
  uint64_t seed = 0;
};

class OnlinePhase {
public:
  OnlinePhase(algo::Agent& agent, std::unique_ptr<Env> env, const Dataset& preprocessed, const ObsNormalizer& norm,
              float action_high, const OnlineOptions& o);
  // One environment step with a sampled action, then updates_per_env_step gradient steps.
  OnlineStepInfo step(bool want_metrics, StepMetrics* metrics);
  int64_t env_steps() const { return env_steps_; }
  int64_t prefilled() const { return prefilled_; }
  const ReplayBuffer& buffer() const { return buffer_; }
  // The online transitions in raw environment units (for saving as a D4RL-layout dataset).
  const ReplayBuffer& raw_online() const { return raw_; }

  // A uniform batch from the replay buffer (dataset and online rows alike); terminal = 1 only for
  // true terminations, so time-limit truncations keep bootstrapping.
  algo::Batch sample_batch();

private:
  float transform_reward(double r) const;

  algo::Agent& agent_;
  std::unique_ptr<Env> env_;
  ObsNormalizer norm_;
  float action_high_;
  OnlineOptions opt_;
  ReplayBuffer buffer_, raw_;
  std::mt19937_64 rng_;
  std::vector<float> obs_raw_;
  int64_t env_steps_ = 0, prefilled_ = 0, episode_len_ = 0;
  double episode_return_ = 0.0;
};

}  // namespace iql::train
