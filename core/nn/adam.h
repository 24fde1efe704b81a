// Adam over one flat parameter buffer, as one fused loop (m, v and parameter updated in a single
// pass, split over the intra-op threads) instead of five tensor ops or a loop over parameter tensors.
// Same update rule as torch.optim.Adam / optax.adam. Optionally folds the Polyak target update into
// the same pass, so target critics cost no extra sweep over memory.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "core/nn/mlp.h"

namespace iql::nn {

class FlatAdam {
public:
  explicit FlatAdam(int64_t numel, double lr = 3e-4, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);
  // params -= lr * mhat / (sqrt(vhat) + eps), with bias-corrected moments.
  void step(torch::Tensor& params, const torch::Tensor& grad) { step(params, grad, lr_); }
  void step(torch::Tensor& params, const torch::Tensor& grad, double lr);
  // The same step, then target <- rate * params + (1 - rate) * target in the same pass.
  void step_with_polyak(torch::Tensor& params, const torch::Tensor& grad, torch::Tensor& target, double rate);
  // Population form: each segment of the flat buffer steps with its member's learning rate (and, with a
  // target, its member's Polyak rate). All members share the step count (they step together).
  void step_members(torch::Tensor& params, const torch::Tensor& grad, const std::vector<Segment>& segs,
                    const std::vector<double>& lrs, torch::Tensor* target = nullptr,
                    const std::vector<double>* rates = nullptr);

  // The device path: moves the moments to `device` and steps with tensor ops only (no host reads, no
  // host-side state), so the step can run on a GPU and inside a CUDA graph. lrs and rates are [P]
  // float64 device tensors, one per population member, read when the step runs (change them in place
  // between steps). The step count lives on the device too; the host count follows via count_step().
  void to_device(const torch::Device& device, const std::vector<Segment>& segs);
  void step_device(torch::Tensor& params, const torch::Tensor& grad, const torch::Tensor& lrs,
                   torch::Tensor* target = nullptr, const torch::Tensor* rates = nullptr);
  void count_step() { ++t_; }
  bool device_path() const { return device_path_; }

  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }
  int64_t steps() const { return t_; }

  // State for checkpoints.
  torch::Tensor& exp_avg() { return m_; }
  torch::Tensor& exp_avg_sq() { return v_; }
  void set_steps(int64_t t);

private:
  void run(torch::Tensor& params, const torch::Tensor& grad, const std::vector<Segment>& segs,
           const std::vector<double>& lrs, float* target, const std::vector<double>& rates);
  double lr_, beta1_, beta2_, eps_;
  int64_t t_ = 0;
  torch::Tensor m_, v_;
  // Device path: runs of equal-length segments of consecutive members, each one [count, len] view.
  struct Block {
    int64_t offset, length, first_member, count;
  };
  bool device_path_ = false;
  std::vector<Block> blocks_;
  torch::Tensor t_device_;  // float64 scalar
};

}  // namespace iql::nn
