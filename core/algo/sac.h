// Soft Actor-Critic (Haarnoja et al. 2018) with automatic entropy tuning: the behaviour-policy
// learner used to generate D4RL-style datasets, as D4RL did. Not on IQL's hot path, so it uses plain
// torch::nn modules and autograd. Core-private (torch).
#pragma once
#include <torch/torch.h>

#include "core/algo/agent.h"

namespace iql::algo {

struct SacConfig {
  int hidden = 256;
  double lr = 3e-4;
  double discount = 0.99;
  double polyak = 0.005;
  double init_alpha = 1.0;
};

class Sac {
public:
  Sac(int64_t obs_dim, int64_t act_dim, const SacConfig& cfg);
  // Actions in [-1, 1]: tanh of a Gaussian sample, or tanh of the mean when deterministic.
  torch::Tensor act(const torch::Tensor& obs, bool deterministic);
  Metrics update(const Batch& b);
  // Snapshot/restore of the actor (to keep the "medium" policy while training goes on).
  std::vector<torch::Tensor> actor_state() const;
  void load_actor_state(const std::vector<torch::Tensor>& s);
  double alpha() const;

private:
  std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& obs);  // action, log-prob
  torch::Tensor q(torch::nn::Sequential& net, const torch::Tensor& obs, const torch::Tensor& act);

  SacConfig cfg_;
  int64_t act_dim_;
  torch::nn::Sequential actor_{nullptr}, q1_{nullptr}, q2_{nullptr}, q1_target_{nullptr}, q2_target_{nullptr};
  torch::Tensor log_alpha_;
  std::unique_ptr<torch::optim::Adam> actor_opt_, critic_opt_, alpha_opt_;
};

}  // namespace iql::algo
