// An MLP (or an ensemble of E independent MLPs with batched weights) with hand-written forward and
// backward passes over one flat parameter buffer. Why not torch::nn + autograd: for 2x256 networks at
// batch 256 the per-op autograd overhead costs as much as the GEMMs; explicit addmm/baddbmm calls,
// one flat Adam update and one lerp for Polyak make the whole IQL step a short list of big kernels.
// Core-private header (includes torch).
#pragma once
#include <torch/torch.h>

#include <array>
#include <vector>

namespace iql::nn {

class Mlp {
public:
  // dims = {in, hidden..., out}; ensemble = number of members (twin critics: 2).
  Mlp(std::vector<int64_t> dims, int64_t ensemble = 1, double dropout = 0.0);

  // Orthogonal init with the given gain on every weight matrix, zero biases (IQL official).
  void reset_parameters(double gain);

  // x: [B, in] (shared by all members) or [E, B, in]. Returns [E, B, out] for ensembles, [B, out]
  // otherwise. With `train` set, activations are kept for backward() and dropout is active.
  torch::Tensor forward(const torch::Tensor& x, bool train);
  // Accumulates parameter gradients for dL/dout (shape as forward's output) into grad().
  // Overwrites (does not add to) the gradient buffer.
  void backward(const torch::Tensor& grad_out);

  torch::Tensor& params() { return flat_; }
  const torch::Tensor& params() const { return flat_; }
  torch::Tensor& grad() { return grad_flat_; }
  int64_t ensemble() const { return ensemble_; }
  const std::vector<int64_t>& dims() const { return dims_; }
  int64_t num_parameters() const { return flat_.numel(); }
  // Copies parameters from another Mlp of identical shape (target network init).
  void copy_from(const Mlp& other);
  // Keep masks (0/1, not yet scaled by 1/(1-p)) of the hidden layers drawn by the last training
  // forward, one per hidden layer, shaped like that layer's output; empty without dropout. For tests
  // that replay an update against a reference implementation.
  const std::vector<torch::Tensor>& last_dropout_masks() const { return masks_; }
  // The matmul shapes of one forward pass, for the GEMM-bound benchmark: {rows, in, out} per layer.
  std::vector<std::array<int64_t, 3>> gemm_shapes(int64_t batch) const;

private:
  std::vector<int64_t> dims_;
  int64_t ensemble_;
  double dropout_;
  torch::Tensor flat_, grad_flat_;
  std::vector<torch::Tensor> w_, b_, gw_, gb_;  // views into flat_/grad_flat_
  // saved for backward
  std::vector<torch::Tensor> inputs_;   // input to each layer (post-activation of previous)
  std::vector<torch::Tensor> masks_;    // dropout keep masks of the last training forward
};

}  // namespace iql::nn
