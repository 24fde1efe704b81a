// The actor: an MLP trunk with mean = tanh(out). Gaussian policies add a state-independent log-std
// vector (init 0, clipped to [-5, 2] when used); deterministic policies regress the mean directly.
// Losses come with their hand-derived gradients (see Mlp for why). With members > 1 the policy is a
// population: trunk ensemble of P, log-std [P, act], inputs [P, B, ...], one loss per member.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "core/nn/adam.h"
#include "core/nn/mlp.h"

namespace iql::nn {

class Policy {
public:
  Policy(int64_t obs_dim, int64_t act_dim, int64_t hidden, bool gaussian, double dropout, int64_t members = 1);

  // Weighted behaviour-cloning loss -mean(w * log pi(a|s)) (Gaussian) or mean(w * |mu - a|^2)
  // (deterministic); fills the gradients of trunk and log-std. obs [B, o] or [P, B, o], w [B] or [P, B].
  // Returns the loss: a scalar tensor for 2-D inputs, [P] for populations.
  torch::Tensor weighted_loss_backward(const torch::Tensor& obs, const torch::Tensor& act, const torch::Tensor& w);
  // One Adam step on trunk and log-std with learning rate lr (one per member).
  void optimizer_step(double lr) { optimizer_step(std::vector<double>(members_, lr)); }
  void optimizer_step(const std::vector<double>& lrs);
  // The device path (see Mlp::to_device and FlatAdam::step_device): lrs a [P] float64 device tensor.
  void to_device(const torch::Device& device, const std::vector<uint64_t>& seeds);
  void optimizer_step_device(const torch::Tensor& lrs);
  // The host's step counts after a device step ran (or a graph replayed it).
  void count_device_step();

  torch::Tensor mean(const torch::Tensor& obs);                 // eval: no dropout
  torch::Tensor act_deterministic(const torch::Tensor& obs);    // clip(tanh mean, -1, 1)
  torch::Tensor act_sample(const torch::Tensor& obs);           // mean + std * N(0, 1) (Gaussian)
  torch::Tensor clipped_log_std() const { return log_std_.clamp(-5.0, 2.0); }

  // Per-member generators for dropout and sampling (owned by the agent; may be null).
  void set_generators(const std::vector<at::Generator>* gens);
  bool gaussian() const { return gaussian_; }
  int64_t members() const { return members_; }
  int64_t act_dim() const { return act_dim_; }
  Mlp& trunk() { return trunk_; }
  torch::Tensor& log_std() { return log_std_; }  // [act] for one member, [P, act] for a population
  FlatAdam& trunk_adam() { return trunk_adam_; }
  FlatAdam& log_std_adam() { return log_std_adam_; }
  std::vector<Segment> log_std_segments() const;

private:
  int64_t members_, act_dim_;
  Mlp trunk_;
  bool gaussian_;
  const std::vector<at::Generator>* gens_ = nullptr;
  torch::Tensor log_std_, log_std_grad_;
  FlatAdam trunk_adam_, log_std_adam_;
  std::vector<Segment> trunk_segs_, log_std_segs_;
};

}  // namespace iql::nn
