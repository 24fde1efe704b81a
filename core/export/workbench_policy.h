// The workbench's own forward of a checkpoint's policy, the reference every export is compared with:
// the checkpoint loaded into its agent as `iql eval` loads it, observations normalised by the run's
// normaliser, the deterministic action from Agent::act scaled by the action bound, the Gaussian's mean
// and clamped log-std from nn::Policy. Core-private header (torch).
#pragma once
#include <torch/torch.h>

#include <memory>
#include <string>

namespace iql::algo {
class Agent;
}

namespace iql::exporting {

struct PolicyOutputs {
  torch::Tensor action, mean, log_std;  // [batch, act] each
};

class WorkbenchPolicy {
public:
  explicit WorkbenchPolicy(const std::string& checkpoint);  // DataError for an unreadable file
  ~WorkbenchPolicy();
  // raw_obs: [batch, obs] float32 in environment units.
  PolicyOutputs forward(const torch::Tensor& raw_obs);
  int64_t obs_dim() const { return obs_dim_; }
  int64_t act_dim() const { return act_dim_; }

private:
  std::unique_ptr<algo::Agent> agent_;
  bool gaussian_ = true;
  int64_t obs_dim_ = 0, act_dim_ = 0;
  torch::Tensor obs_mean_, obs_std_;  // undefined: no normalisation
  float action_high_ = 1.0f;
};

}  // namespace iql::exporting
