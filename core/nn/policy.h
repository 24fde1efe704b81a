// The actor: an MLP trunk with mean = tanh(out). Gaussian policies add a state-independent log-std
// vector (init 0, clipped to [-5, 2] when used); deterministic policies regress the mean directly.
// Losses come with their hand-derived gradients (see Mlp for why).
#pragma once
#include <torch/torch.h>

#include "core/nn/adam.h"
#include "core/nn/mlp.h"

namespace iql::nn {

class Policy {
public:
  Policy(int64_t obs_dim, int64_t act_dim, int64_t hidden, bool gaussian, double dropout);

  // Weighted behaviour-cloning loss -mean(w * log pi(a|s)) (Gaussian) or mean(w * |mu - a|^2)
  // (deterministic); fills the gradients of trunk and log-std. Returns the loss (scalar tensor).
  torch::Tensor weighted_loss_backward(const torch::Tensor& obs, const torch::Tensor& act, const torch::Tensor& w);
  // One Adam step on trunk and log-std with learning rate lr.
  void optimizer_step(double lr);

  torch::Tensor mean(const torch::Tensor& obs);                 // eval: no dropout
  torch::Tensor act_deterministic(const torch::Tensor& obs);    // clip(tanh mean, -1, 1)
  torch::Tensor act_sample(const torch::Tensor& obs);           // mean + std * N(0, 1) (Gaussian)
  torch::Tensor clipped_log_std() const { return log_std_.clamp(-5.0, 2.0); }

  bool gaussian() const { return gaussian_; }
  Mlp& trunk() { return trunk_; }
  torch::Tensor& log_std() { return log_std_; }
  FlatAdam& trunk_adam() { return trunk_adam_; }
  FlatAdam& log_std_adam() { return log_std_adam_; }

private:
  Mlp trunk_;
  bool gaussian_;
  torch::Tensor log_std_, log_std_grad_;
  FlatAdam trunk_adam_, log_std_adam_;
};

}  // namespace iql::nn
