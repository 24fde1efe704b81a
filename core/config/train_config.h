// Every setting of a training run. Torch-free so the GUI and the store can use it. Defaults are the
// official IQL configuration for MuJoCo locomotion (../shared/reference/iql.md). A new field needs one
// entry in the settings table (train_settings.cpp): its JSON key, flag, live and per-member rules.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace iql {

struct TrainConfig {
  // algorithm: "iql" (official), "iql-corl" (CORL variant), "bc" (behaviour cloning baseline)
  std::string algorithm = "iql";
  std::string dataset = "pendulum-medium";  // built-in name or file path
  std::string env = "pendulum";
  std::string physics = "d4rl";
  double expectile = 0.7;    // tau
  double temperature = 3.0;  // beta
  double discount = 0.99;
  double polyak = 0.005;
  double actor_lr = 3e-4;
  double value_lr = 3e-4;
  double critic_lr = 3e-4;
  // Cosine decay of the actor lr to 0 over `steps` (official train_offline.py). A run with an online
  // phase follows the official train_finetune.py instead, a constant actor lr in both phases, unless
  // actor_cosine_with_online asks to keep the cosine schedule offline (see resolved()).
  bool actor_cosine_decay = true;
  bool actor_cosine_with_online = false;
  double max_weight = 100.0;  // AWR clip
  int hidden = 256;
  int batch_size = 256;
  int64_t steps = 1000000;
  std::string policy = "gaussian";  // or "deterministic"
  double dropout = 0.0;             // actor only
  // "auto": locomotion for MuJoCo locomotion envs, antmaze for antmaze-*, none otherwise (Pendulum)
  std::string reward_mode = "auto";  // or "locomotion", "antmaze", "none"
  bool normalize_obs = false;        // forced on by iql-corl
  uint64_t seed = 0;
  int64_t eval_interval = 5000;
  int eval_episodes = 10;
  int64_t log_interval = 100;     // metrics written to the store every N steps
  int64_t probe_interval = 1000;  // value/advantage histograms every N steps
  int64_t checkpoint_interval = 0;  // 0: only at the end
  // Intra-op threads; 0 = auto: the cores this process may use (at most 8), resolved once when a run
  // starts and recorded in its 'runtime' event, which a resume reads back. Never a share that follows
  // the machine's load: the thread count changes the rounding, and the same seed must give the same
  // numbers. Stored as set (0 stays 0), since threads do not tell experiments apart.
  int threads = 0;
  // Where the update runs: "cpu", "cuda" or "auto" (CUDA when this LibTorch has it and a GPU is
  // present). CPU runs compute exactly what they always did; CUDA runs keep the whole update on the
  // GPU (core/device/). Like threads, not part of what tells experiments apart.
  std::string device = "cpu";
  std::string cuda_graphs = "on";        // "on": capture the fixed-shape update once and replay it
  std::string matmul_precision = "fp32";  // "tf32": TensorFloat-32 matrix products on GPUs that have them
  // Online fine-tuning after the offline steps (IQL paper 5.3): 0 = offline only.
  int64_t online_steps = 0;              // environment steps
  int64_t online_buffer = 2000000;       // replay capacity, pre-filled with the dataset
  int online_updates_per_step = 1;       // gradient steps per environment step

  std::string to_json() const;
  static TrainConfig from_json(const std::string& json);  // unknown keys -> ConfigError
  void validate() const;                                   // ConfigError naming the field
  // The field of a live hyperparameter (see live_hyperparameters()) by name; nullptr if unknown.
  double* live_field(const std::string& name);
  const double* live_field(const std::string& name) const;
  // Reward mode actually used ("auto" resolved from env).
  std::string effective_reward_mode() const;
  // The settings a run actually uses, with the defaults that depend on other fields applied:
  // with online_steps > 0 and not actor_cosine_with_online, actor_cosine_decay becomes false (the
  // official fine-tuning recipe). Idempotent; the trainer and the stored run config use it.
  TrainConfig resolved() const;
};

// The hyperparameters that may change during a run (applied at the next step, stored as events).
const std::vector<std::string>& live_hyperparameters();

}  // namespace iql
