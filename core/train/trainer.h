// The trainer: owns the preprocessed dataset (as tensors), the agent, the batch sampler and the
// evaluation environment; step() performs one gradient update. Thread-confined: create and use it on
// one thread. The header is torch-free (pimpl) so the GUI can hold one.
#pragma once
#include <memory>
#include <string>

#include "core/data/dataset.h"
#include "core/train/train_config.h"
#include "core/train/training_types.h"

namespace iql {

class Trainer {
public:
  // Builds everything from a loaded dataset: checks it against the environment, preprocesses,
  // seeds torch and the sampler with cfg.seed, initialises networks.
  Trainer(const TrainConfig& cfg, Dataset dataset);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // One gradient step; metrics filled when want_metrics (they cost a few syncs).
  StepMetrics step(bool want_metrics);
  // Deterministic-policy evaluation on `episodes` episodes, seeded from (cfg.seed, step, episode) so
  // the same checkpoint always gives the same numbers; never touches the training RNG streams, so
  // evaluating does not change later training numbers.
  EvalResult evaluate(int episodes);
  ProbeSnapshot probe();
  // Applies a live hyperparameter change now; returns the old value. ConfigError if invalid.
  double set_hyperparameter(const std::string& name, double value);
  double hyperparameter(const std::string& name) const;

  // Online fine-tuning: switches to the online phase (replay buffer pre-filled with the dataset,
  // sampled actions, frozen actor lr schedule); then each online_step() is one environment step
  // followed by cfg.online_updates_per_step gradient steps.
  void begin_online();
  bool online() const;
  OnlineStepInfo online_step(bool want_metrics, StepMetrics* metrics);
  int64_t online_env_steps() const;
  // Online transitions so far in raw environment units, in the D4RL layout.
  Dataset online_dataset() const;

  // Whole training state (networks, targets, optimisers, counters, RNG states, normaliser).
  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);

  int64_t step_count() const;
  const TrainConfig& config() const;
  const Dataset& dataset() const;  // after preprocessing
  double reward_scale() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Loads a built-in dataset by name or a dataset file by path (format by content).
Dataset load_dataset(const std::string& name_or_path);

}  // namespace iql
