// The trainer: owns the prepared dataset (core/train/run_data.h: checked, clipped and scaled once,
// before the trainer exists), the agent, the batch sampler and the evaluation environment; step()
// performs one gradient update. Thread-confined: create and use it on
// one thread. The header is torch-free (pimpl) so the GUI can hold one.
// A trainer holds P >= 1 population members trained as one batched model: one shared copy of the data,
// and per member its configuration, batch sampler, torch generator (init, dropout, sampling noise),
// evaluation seeds and probe batch, so member k computes what a one-member trainer with member k's
// configuration computes. The one-member methods (step, evaluate, ...) are member 0's.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/device/device_choice.h"
#include "core/train/run_data.h"
#include "core/config/train_config.h"
#include "core/train/training_types.h"

namespace iql {

// Where the trainer places its update. The device comes from the members' `device` setting (cpu, cuda,
// auto); on CUDA the whole update runs on the device path (core/device/, train/device_step.h). Tests
// may ask for the device path on the CPU, which runs the same batched kernels and device-side
// streams without a GPU.
struct DevicePlacement {
  bool device_path_on_cpu = false;
};

class Trainer {
public:
  // Trains on prepared data as it is (no check or preprocessing again): seeds torch and the samplers
  // with the members' seeds, initialises networks. Members differ only in scalar hyperparameters and
  // seeds (see population_mismatch(), which prepare_run_data checks).
  explicit Trainer(PreparedData prepared, DevicePlacement placement = {});
  // From a dataset in memory: prepare_run_data(members, dataset), then the above.
  Trainer(const TrainConfig& cfg, Dataset dataset);
  Trainer(const std::vector<TrainConfig>& members, Dataset dataset);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // One gradient step; metrics filled when want_metrics (they cost a few syncs).
  StepMetrics step(bool want_metrics);
  int64_t members() const;
  // One gradient step of every member; one StepMetrics per member.
  std::vector<StepMetrics> step_members(bool want_metrics);
  // Every member's evaluation, batched across members; probes of every member.
  std::vector<EvalResult> evaluate_members(int episodes);
  std::vector<ProbeSnapshot> probe_members();
  // Deterministic-policy evaluation on `episodes` episodes, seeded from (cfg.seed, step, episode) so
  // the same checkpoint always gives the same numbers; never touches the training RNG streams, so
  // evaluating does not change later training numbers.
  EvalResult evaluate(int episodes);
  ProbeSnapshot probe();
  // Applies a live hyperparameter change now; returns the old value. ConfigError if invalid.
  // member < 0: every member (returns member 0's old value).
  double set_hyperparameter(const std::string& name, double value, int64_t member = -1);
  double hyperparameter(const std::string& name, int64_t member = 0) const;

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
  void save_checkpoint(const std::string& path) const { save_member_checkpoint(0, path); }
  void load_checkpoint(const std::string& path) { load_member_checkpoint(0, path); }
  // A member's checkpoint is an ordinary one-member checkpoint (evaluate, fine-tune, resume it alone).
  void save_member_checkpoint(int64_t member, const std::string& path) const;
  void load_member_checkpoint(int64_t member, const std::string& path);

  int64_t step_count() const;
  // "cpu" or "cuda": where the update runs.
  const std::string& device() const;
  // The device facts every stored run records (device, name, LibTorch/CUDA versions, graphs,
  // precision) as a JSON object; graphs count as used once a captured graph replays.
  std::string device_facts_json() const;
  std::string device_facts_text() const;
  device::DeviceFacts device_facts() const;
  const TrainConfig& config() const;  // member 0's
  const TrainConfig& member_config(int64_t member) const;
  const Dataset& dataset() const;  // after preprocessing
  double reward_scale() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Why these configurations cannot train as one population (different network shapes, data,
// environment, step budget, ...), naming the field; empty when they can.
std::string population_mismatch(const std::vector<TrainConfig>& members);

}  // namespace iql
