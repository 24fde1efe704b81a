// An MLP (or an ensemble of E independent MLPs with batched weights) with hand-written forward and
// backward passes over one flat parameter buffer. Why not torch::nn + autograd: for 2x256 networks at
// batch 256 the per-op autograd overhead costs as much as the GEMMs; explicit addmm calls, one flat
// Adam update and one lerp for Polyak make the whole IQL step a short list of big kernels.
// The ensemble axis serves twin critics and population training alike: member e of a population of P
// twin critics is ensemble index 2p + twin. Members run in parallel on the intra-op threads, one
// single-threaded GEMM chain each (256-wide GEMMs do not split well over cores; independent members do).
// Core-private header (includes torch).
#pragma once
#include <torch/torch.h>

#include <array>
#include <vector>

namespace iql::nn {

// One contiguous stretch of a flat buffer that belongs to one population member.
struct Segment {
  int64_t offset = 0, length = 0, member = 0;
};

class Mlp {
public:
  // dims = {in, hidden..., out}; ensemble = number of members (twin critics: 2).
  Mlp(std::vector<int64_t> dims, int64_t ensemble = 1, double dropout = 0.0);

  // Orthogonal init with the given gain on every weight matrix, zero biases (IQL official). With
  // generators, ensemble member e draws from gens[e / group] (a population member's own stream).
  void reset_parameters(double gain, const std::vector<at::Generator>* gens = nullptr, int64_t group = 1);
  // Dropout probability per ensemble member (size E), and the generators dropout masks come from.
  void set_dropout(const std::vector<double>& p);
  void set_generators(const std::vector<at::Generator>* gens, int64_t group) { gens_ = gens; group_ = group; }
  // Moves the parameters to `device` and switches to the device path: every layer of every member is
  // one batched GEMM (baddbmm/bmm over the ensemble axis) instead of a loop of per-member GEMMs, and
  // dropout masks come from counter-based streams (core/device/counter_rng.h) keyed by the members'
  // seeds (ensemble member e uses seeds[e / group]). Works on the CPU too (tests of the device path).
  void to_device(const torch::Device& device, const std::vector<uint64_t>& seeds, int64_t group);
  bool device_path() const { return device_path_; }

  // x: [B, in] (shared by all members), [E, B, in], or [G, B, in] with E a multiple of G (member e reads
  // x[e / (E/G)]). Returns [E, B, out] for ensembles and 3-D inputs, [B, out] otherwise. With `train`
  // set, activations are kept for backward() and dropout is active.
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
  // forward, one per hidden layer, shaped like that layer's output ([B, h] or [E, B, h]); empty
  // without dropout. For tests
  // that replay an update against a reference implementation.
  const std::vector<torch::Tensor>& last_dropout_masks() const { return masks_; }
  // The matmul shapes of one forward pass, for the GEMM-bound benchmark: {rows, in, out} per layer.
  std::vector<std::array<int64_t, 3>> gemm_shapes(int64_t batch) const;
  // The flat-buffer stretches of each population member when `group` consecutive ensemble members form
  // one population member; in order, they concatenate to that member's own (E = group) flat buffer.
  std::vector<Segment> member_segments(int64_t group) const;

private:
  void make_views();
  void refresh_device_dropout();
  torch::Tensor forward_batched(const torch::Tensor& x, bool train);
  void backward_batched(const torch::Tensor& grad_out);
  torch::Tensor forward_member(int64_t e, const torch::Tensor& x0, bool train, std::vector<torch::Tensor>& outs);
  std::vector<int64_t> dims_;
  int64_t ensemble_;
  std::vector<double> dropout_;  // per ensemble member
  const std::vector<at::Generator>* gens_ = nullptr;
  int64_t group_ = 1;
  torch::Tensor flat_, grad_flat_;
  std::vector<torch::Tensor> w_, b_, gw_, gb_;  // views into flat_/grad_flat_
  std::vector<int64_t> layer_offset_;           // start of each layer's weight block in flat_
  // saved for backward
  std::vector<torch::Tensor> inputs_;   // input to each layer (post-activation of previous)
  std::vector<torch::Tensor> masks_;    // dropout keep masks of the last training forward
  // Device path: per-layer stream keys [E], the draw counter the training forward advances (a device
  // tensor, so a captured graph advances it too), per-member keep probability and rescale [E, 1, 1].
  bool device_path_ = false;
  std::vector<torch::Tensor> drop_keys_;
  torch::Tensor drop_counter_, drop_p_, drop_scale_;
};

// Orthogonal matrix init as torch.nn.init.orthogonal_ (QR of a normal matrix, signs fixed), drawn from
// `gen` (default generator when undefined); w is stored [in, out].
void orthogonal_init(torch::Tensor w, double gain, at::Generator gen);

}  // namespace iql::nn
