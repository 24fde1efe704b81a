// The actor of one checkpoint, read out as plain numbers for the exporters (core/export/*): what a
// file outside the workbench needs to reproduce the workbench's deterministic action, and the Gaussian
// the stochastic action is drawn from. Torch-free, so the writers and the CLI stay light.
//   normalised = (observation - obs_mean) / obs_std             (IQL-CORL, normalize_obs; else none)
//   h = relu(W0 x + b0), h = relu(W1 h + b1), mean = tanh(W2 h + b2)   (the trunk, nn/policy.h)
//   log_std = clamp(log_std_raw, -5, 2) (Gaussian); action = action_bias + action_scale * clamp(mean, -1, 1)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/config/train_config.h"

namespace iql::exporting {

constexpr double kLogStdMin = -5.0, kLogStdMax = 2.0;  // nn::Policy::clipped_log_std

struct DenseLayer {
  int64_t in = 0, out = 0;
  std::vector<float> weight;  // [out, in], row-major (torch.nn.Linear's layout)
  std::vector<float> bias;    // [out]
};

struct ExportPolicy {
  std::string checkpoint;  // the file it was read from
  TrainConfig config;      // the run's settings, as stored in the checkpoint
  std::string config_json;
  int64_t step = 0;        // gradient updates the checkpoint holds
  int64_t obs_dim = 0, act_dim = 0;
  bool gaussian = true;    // false: deterministic policy (log_std output is -inf: std 0)
  std::vector<DenseLayer> layers;  // ReLU between them, tanh after the last
  std::vector<float> log_std_raw;  // [act], as trained (unclamped)
  std::vector<float> obs_mean, obs_std;  // [obs] each; empty: the run did not normalise
  std::vector<float> action_scale, action_bias;  // [act]: env action = bias + scale * a, a in [-1, 1]
  float action_high = 1.0f;  // the checkpoint's bound: actions lie in [-action_high, action_high]

  bool normalizes() const { return !obs_mean.empty(); }
  int64_t hidden() const { return layers.empty() ? 0 : layers.front().out; }
  int64_t num_parameters() const;
};

// Reads a workbench checkpoint (written by a training run). DataError naming the file when it is not
// a readable checkpoint or holds no actor.
ExportPolicy read_export_policy(const std::string& checkpoint);

}  // namespace iql::exporting
