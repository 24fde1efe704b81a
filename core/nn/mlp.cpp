#include "core/nn/mlp.h"

#include "core/device/counter_rng.h"

#include <ATen/Parallel.h>

#include <stdexcept>

namespace iql::nn {

void orthogonal_init(torch::Tensor w, double gain, at::Generator gen) {
  const int64_t rows = w.size(1), cols = w.size(0);  // torch's [out, in] convention
  auto flat = torch::empty({rows, cols});
  flat.normal_(0.0, 1.0, gen);
  if (rows < cols) flat = flat.t();
  auto qr = at::linalg_qr(flat, "reduced");
  auto q = std::get<0>(qr);
  auto d = torch::diag(std::get<1>(qr), 0);
  q = q * d.sign();
  if (rows < cols) q = q.t();
  w.copy_((q * gain).t());
}

Mlp::Mlp(std::vector<int64_t> dims, int64_t ensemble, double dropout)
    : dims_(std::move(dims)), ensemble_(ensemble), dropout_(ensemble, dropout) {
  if (dims_.size() < 2) throw std::invalid_argument("Mlp needs at least input and output sizes");
  int64_t total = 0;
  for (size_t l = 0; l + 1 < dims_.size(); ++l) total += ensemble_ * (dims_[l] * dims_[l + 1] + dims_[l + 1]);
  flat_ = torch::zeros({total});
  grad_flat_ = torch::zeros({total});
  make_views();
  reset_parameters(std::sqrt(2.0));
}

// Per-layer weight and bias views into the flat buffers ([E, in, out] and [E, 1, out] for ensembles).
void Mlp::make_views() {
  w_.clear(), b_.clear(), gw_.clear(), gb_.clear(), layer_offset_.clear();
  int64_t off = 0;
  for (size_t l = 0; l + 1 < dims_.size(); ++l) {
    const int64_t in = dims_[l], out = dims_[l + 1];
    auto take = [&](torch::Tensor& buf, std::vector<int64_t> shape) {
      int64_t n = 1;
      for (auto s : shape) n *= s;
      return buf.narrow(0, off, n).view(shape);
    };
    std::vector<int64_t> wshape = ensemble_ > 1 ? std::vector<int64_t>{ensemble_, in, out} : std::vector<int64_t>{in, out};
    std::vector<int64_t> bshape = ensemble_ > 1 ? std::vector<int64_t>{ensemble_, 1, out} : std::vector<int64_t>{out};
    layer_offset_.push_back(off);
    w_.push_back(take(flat_, wshape));
    gw_.push_back(take(grad_flat_, wshape));
    off += ensemble_ * in * out;
    b_.push_back(take(flat_, bshape));
    gb_.push_back(take(grad_flat_, bshape));
    off += ensemble_ * out;
  }
}

void Mlp::to_device(const torch::Device& device, const std::vector<uint64_t>& seeds, int64_t group) {
  flat_ = flat_.to(device);
  grad_flat_ = grad_flat_.to(device);
  make_views();
  inputs_.clear();
  masks_.clear();
  device_path_ = true;
  auto opts = torch::TensorOptions().dtype(torch::kInt64).device(device);
  drop_keys_.clear();
  for (size_t l = 0; l + 2 < dims_.size(); ++l) {
    std::vector<int64_t> keys;
    for (int64_t e = 0; e < ensemble_; ++e)
      keys.push_back(device::stream_key(seeds.empty() ? 0 : seeds.at(e / group), 0x64726f70u + static_cast<uint32_t>(l)));
    drop_keys_.push_back(torch::tensor(keys, torch::kInt64).to(device));
  }
  drop_counter_ = torch::zeros({}, opts);
  drop_p_ = torch::zeros({ensemble_, 1, 1}, flat_.options());
  drop_scale_ = torch::ones({ensemble_, 1, 1}, flat_.options());
  refresh_device_dropout();
}

// Copies the dropout probabilities into the device tensors in place (a captured graph keeps reading them).
void Mlp::refresh_device_dropout() {
  if (!device_path_) return;
  std::vector<float> p, scale;
  for (double d : dropout_) p.push_back(static_cast<float>(d)), scale.push_back(d > 0.0 ? static_cast<float>(1.0 / (1.0 - d)) : 1.0f);
  drop_p_.copy_(torch::tensor(p).view({ensemble_, 1, 1}));
  drop_scale_.copy_(torch::tensor(scale).view({ensemble_, 1, 1}));
}

void Mlp::reset_parameters(double gain, const std::vector<at::Generator>* gens, int64_t group) {
  torch::NoGradGuard no_grad;
  for (size_t l = 0; l < w_.size(); ++l) {
    for (int64_t e = 0; e < ensemble_; ++e) {
      auto w = ensemble_ > 1 ? w_[l][e] : w_[l];
      orthogonal_init(w, gain, gens ? (*gens)[e / group] : at::Generator());
    }
    b_[l].zero_();
  }
}

void Mlp::set_dropout(const std::vector<double>& p) {
  if (static_cast<int64_t>(p.size()) != ensemble_) throw std::invalid_argument("Mlp::set_dropout: one p per member");
  dropout_ = p;
  refresh_device_dropout();
}

// Forward of one ensemble member through every layer; outs[l] receives layer l's output (a view of the
// member's slice for ensembles).
torch::Tensor Mlp::forward_member(int64_t e, const torch::Tensor& x0, bool train, std::vector<torch::Tensor>& outs) {
  const size_t layers = w_.size();
  const bool ens = ensemble_ > 1;
  const double p = dropout_[e];
  torch::Tensor h = x0;
  for (size_t l = 0; l < layers; ++l) {
    auto out = ens ? outs[l][e] : outs[l];
    at::addmm_out(out, ens ? b_[l][e] : b_[l], h, ens ? w_[l][e] : w_[l]);
    if (l + 1 < layers) {
      out.relu_();
      if (train && p > 0.0) {
        auto keep = ens ? masks_[l][e] : masks_[l];
        if (gens_) keep.bernoulli_(1.0 - p, (*gens_)[e / group_]);
        else keep.bernoulli_(1.0 - p);
        out.mul_(keep).mul_(1.0 / (1.0 - p));
      }
    }
    h = out;
  }
  return h;
}

torch::Tensor Mlp::forward(const torch::Tensor& x, bool train) {
  if (device_path_) return forward_batched(x, train);
  if (ensemble_ == 1 && x.dim() == 3) {  // a population of one: same numbers as the 2-D call
    if (x.size(0) != 1) throw std::invalid_argument("Mlp::forward: [G, B, in] input with G > E");
    return forward(x[0], train).unsqueeze(0);
  }
  const size_t layers = w_.size();
  const bool ens = ensemble_ > 1;
  const int64_t rows = x.size(-2);
  const int64_t groups = x.dim() == 3 ? x.size(0) : 0;  // 0: input shared by all members
  if (ens && groups > 0 && ensemble_ % groups != 0)
    throw std::invalid_argument("Mlp::forward: ensemble size is not a multiple of the input groups");
  const int64_t per = groups > 0 ? ensemble_ / groups : ensemble_;
  std::vector<torch::Tensor> outs(layers);
  for (size_t l = 0; l < layers; ++l)
    outs[l] = ens ? torch::empty({ensemble_, rows, dims_[l + 1]}) : torch::empty({rows, dims_[l + 1]});
  bool any_dropout = false;
  for (double p : dropout_) any_dropout = any_dropout || p > 0.0;
  if (train) {
    masks_.clear();
    if (any_dropout)
      for (size_t l = 0; l + 1 < layers; ++l) masks_.push_back(torch::empty_like(outs[l]));
  }
  auto input_of = [&](int64_t e) { return groups > 0 ? x[e / per] : x; };
  if (!ens) {
    forward_member(0, x, train, outs);
  } else {
    at::parallel_for(0, ensemble_, 1, [&](int64_t begin, int64_t end) {
      for (int64_t e = begin; e < end; ++e) forward_member(e, input_of(e), train, outs);
    });
  }
  if (train) {
    inputs_.assign(layers, torch::Tensor());
    inputs_[0] = x;
    for (size_t l = 1; l < layers; ++l) inputs_[l] = outs[l - 1];
  }
  return outs.back();
}

void Mlp::backward(const torch::Tensor& grad_out) {
  if (inputs_.empty()) throw std::logic_error("Mlp::backward without a training forward");
  if (device_path_) return backward_batched(grad_out);
  if (ensemble_ == 1 && grad_out.dim() == 3) return backward(grad_out[0]);
  const bool ens = ensemble_ > 1;
  const torch::Tensor& x = inputs_[0];
  const int64_t groups = x.dim() == 3 ? x.size(0) : 0;
  const int64_t per = groups > 0 ? ensemble_ / groups : ensemble_;
  auto member = [&](int64_t e) {
    torch::Tensor g = ens ? grad_out[e] : grad_out;
    for (size_t li = w_.size(); li-- > 0;) {
      torch::Tensor in = li == 0 ? (groups > 0 ? x[e / per] : x) : (ens ? inputs_[li][e] : inputs_[li]);
      auto gw = ens ? gw_[li][e] : gw_[li];
      auto gb = ens ? gb_[li][e] : gb_[li];
      at::mm_out(gw, in.t(), g);
      if (ens) at::sum_out(gb, g, {0}, true);
      else at::sum_out(gb, g, {0});
      if (li == 0) break;  // no gradient w.r.t. the network input is needed
      g = at::mm(g, (ens ? w_[li][e] : w_[li]).t());
      // ReLU (and dropout) backward: zero where the layer input was zeroed, rescale kept units.
      g = at::threshold_backward(g, in, 0);
      const double p = dropout_[e];
      if (p > 0.0) g.mul_(1.0 / (1.0 - p));
    }
  };
  if (!ens) {
    member(0);
  } else {
    at::parallel_for(0, ensemble_, 1, [&](int64_t begin, int64_t end) {
      for (int64_t e = begin; e < end; ++e) member(e);
    });
  }
}

// The device path: all members of a layer in one batched GEMM, tensors [E, B, .] throughout, and no
// host synchronisation or host-side state change (it may be captured in a CUDA graph).
torch::Tensor Mlp::forward_batched(const torch::Tensor& x, bool train) {
  const int64_t E = ensemble_, rows = x.size(-2), in = dims_[0];
  torch::Tensor h;
  if (x.dim() == 2) h = x.unsqueeze(0).expand({E, rows, in});
  else if (x.size(0) == E) h = x;
  else if (E % x.size(0) == 0) h = x.unsqueeze(1).expand({x.size(0), E / x.size(0), rows, in}).reshape({E, rows, in});
  else throw std::invalid_argument("Mlp::forward: ensemble size is not a multiple of the input groups");
  const size_t layers = w_.size();
  bool any_dropout = false;
  for (double p : dropout_) any_dropout = any_dropout || p > 0.0;
  const bool drop = train && any_dropout;
  if (train) {
    inputs_.assign(layers, torch::Tensor());
    masks_.clear();
  }
  for (size_t l = 0; l < layers; ++l) {
    if (train) inputs_[l] = h;
    auto w3 = ensemble_ > 1 ? w_[l] : w_[l].unsqueeze(0);
    auto b3 = ensemble_ > 1 ? b_[l] : b_[l].view({1, 1, -1});
    auto out = torch::baddbmm(b3, h, w3);
    if (l + 1 < layers) {
      out.relu_();
      if (drop) {
        const int64_t width = dims_[l + 1];
        auto u = device::draw_uniform(drop_keys_[l], drop_counter_, rows * width).view({E, rows, width});
        auto keep = u.ge(drop_p_).to(out.scalar_type());
        masks_.push_back(ensemble_ > 1 || x.dim() == 3 ? keep : keep[0]);
        out.mul_(keep).mul_(drop_scale_);
      }
    }
    h = out;
  }
  if (drop) drop_counter_.add_(1);
  return ensemble_ == 1 && x.dim() == 2 ? h[0] : h;
}

void Mlp::backward_batched(const torch::Tensor& grad_out) {
  torch::Tensor g = grad_out.dim() == 2 ? grad_out.unsqueeze(0) : grad_out;
  for (size_t li = w_.size(); li-- > 0;) {
    const auto& in = inputs_[li];
    auto gw3 = ensemble_ > 1 ? gw_[li] : gw_[li].unsqueeze(0);
    auto gb3 = ensemble_ > 1 ? gb_[li] : gb_[li].view({1, 1, -1});
    at::bmm_out(gw3, in.transpose(1, 2), g);
    at::sum_out(gb3, g, {1}, true);
    if (li == 0) break;
    g = torch::bmm(g, (ensemble_ > 1 ? w_[li] : w_[li].unsqueeze(0)).transpose(1, 2));
    g = at::threshold_backward(g, in, 0);
    g = g * drop_scale_;  // 1 where a member has no dropout; dropped units already have zero input
  }
}

void Mlp::copy_from(const Mlp& other) {
  torch::NoGradGuard no_grad;
  flat_.copy_(other.flat_);
}

std::vector<std::array<int64_t, 3>> Mlp::gemm_shapes(int64_t batch) const {
  std::vector<std::array<int64_t, 3>> out;
  for (size_t l = 0; l + 1 < dims_.size(); ++l)
    for (int64_t e = 0; e < ensemble_; ++e) out.push_back({batch, dims_[l], dims_[l + 1]});
  return out;
}

std::vector<Segment> Mlp::member_segments(int64_t group) const {
  std::vector<Segment> segs;
  const int64_t members = ensemble_ / group;
  for (int64_t k = 0; k < members; ++k)
    for (size_t l = 0; l + 1 < dims_.size(); ++l) {
      const int64_t in = dims_[l], out = dims_[l + 1], off = layer_offset_[l];
      segs.push_back({off + k * group * in * out, group * in * out, k});
      segs.push_back({off + ensemble_ * in * out + k * group * out, group * out, k});
    }
  return segs;
}

}  // namespace iql::nn
