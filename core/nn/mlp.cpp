#include "core/nn/mlp.h"

#include <stdexcept>

namespace iql::nn {

Mlp::Mlp(std::vector<int64_t> dims, int64_t ensemble, double dropout)
    : dims_(std::move(dims)), ensemble_(ensemble), dropout_(dropout) {
  if (dims_.size() < 2) throw std::invalid_argument("Mlp needs at least input and output sizes");
  int64_t total = 0;
  for (size_t l = 0; l + 1 < dims_.size(); ++l) total += ensemble_ * (dims_[l] * dims_[l + 1] + dims_[l + 1]);
  flat_ = torch::zeros({total});
  grad_flat_ = torch::zeros({total});
  int64_t off = 0;
  for (size_t l = 0; l + 1 < dims_.size(); ++l) {
    const int64_t in = dims_[l], out = dims_[l + 1];
    auto take = [&](torch::Tensor& buf, std::vector<int64_t> shape) {
      int64_t n = 1;
      for (auto s : shape) n *= s;
      auto v = buf.narrow(0, off, n).view(shape);
      return v;
    };
    std::vector<int64_t> wshape = ensemble_ > 1 ? std::vector<int64_t>{ensemble_, in, out} : std::vector<int64_t>{in, out};
    std::vector<int64_t> bshape = ensemble_ > 1 ? std::vector<int64_t>{ensemble_, 1, out} : std::vector<int64_t>{out};
    w_.push_back(take(flat_, wshape));
    gw_.push_back(take(grad_flat_, wshape));
    off += ensemble_ * in * out;
    b_.push_back(take(flat_, bshape));
    gb_.push_back(take(grad_flat_, bshape));
    off += ensemble_ * out;
  }
  reset_parameters(std::sqrt(2.0));
}

void Mlp::reset_parameters(double gain) {
  torch::NoGradGuard no_grad;
  for (size_t l = 0; l < w_.size(); ++l) {
    for (int64_t e = 0; e < ensemble_; ++e) {
      auto w = ensemble_ > 1 ? w_[l][e] : w_[l];
      // torch's orthogonal_ expects [out, in]; we store [in, out] so forward is x @ W.
      auto t = torch::empty({w.size(1), w.size(0)});
      torch::nn::init::orthogonal_(t, gain);
      w.copy_(t.t());
    }
    b_[l].zero_();
  }
}

// Ensemble members are computed with one addmm per member on views of the batched weights:
// Debian's CPU libtorch runs bmm/baddbmm through a slow generic kernel (3x an equal set of mm calls,
// 20x for the thin first layer), so a loop of BLAS calls is the fast path here.
torch::Tensor Mlp::forward(const torch::Tensor& x, bool train) {
  const size_t layers = w_.size();
  if (train) inputs_.assign(layers, torch::Tensor());
  if (train) masks_.clear();
  const bool shared = ensemble_ > 1 && x.dim() == 2;
  torch::Tensor h = x;
  for (size_t l = 0; l < layers; ++l) {
    if (train) inputs_[l] = h;
    torch::Tensor z;
    if (ensemble_ > 1) {
      const int64_t rows = (l == 0 && shared) ? x.size(0) : h.size(1);
      z = torch::empty({ensemble_, rows, dims_[l + 1]});
      for (int64_t e = 0; e < ensemble_; ++e) {
        auto in = (l == 0 && shared) ? h : h[e];
        auto out = z[e];
        at::addmm_out(out, b_[l][e], in, w_[l][e]);
      }
    } else {
      z = at::addmm(b_[l], h, w_[l]);
    }
    if (l + 1 < layers) {
      z.relu_();
      if (train && dropout_ > 0.0) {
        auto keep = torch::empty_like(z).bernoulli_(1.0 - dropout_);
        z.mul_(keep).mul_(1.0 / (1.0 - dropout_));
        masks_.push_back(keep);
      }
    }
    h = z;
  }
  return h;
}

void Mlp::backward(const torch::Tensor& grad_out) {
  if (inputs_.empty()) throw std::logic_error("Mlp::backward without a training forward");
  torch::Tensor g = grad_out;
  for (size_t li = w_.size(); li-- > 0;) {
    const auto& in = inputs_[li];
    if (ensemble_ > 1) {
      const bool shared = in.dim() == 2;
      for (int64_t e = 0; e < ensemble_; ++e) {
        auto gw = gw_[li][e], gb = gb_[li][e];
        at::mm_out(gw, (shared ? in : in[e]).t(), g[e]);
        at::sum_out(gb, g[e], {0}, true);
      }
    } else {
      at::mm_out(gw_[li], in.t(), g);
      at::sum_out(gb_[li], g, {0});
    }
    if (li == 0) break;  // no gradient w.r.t. the network input is needed
    if (ensemble_ > 1) {
      auto gi = torch::empty({ensemble_, g.size(1), dims_[li]});
      for (int64_t e = 0; e < ensemble_; ++e) {
        auto out = gi[e];
        at::mm_out(out, g[e], w_[li][e].t());
      }
      g = gi;
    } else {
      g = at::mm(g, w_[li].t());
    }
    // ReLU (and dropout) backward: zero where the layer input was zeroed, rescale kept units.
    g = at::threshold_backward(g, in, 0);
    if (dropout_ > 0.0) g.mul_(1.0 / (1.0 - dropout_));
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

}  // namespace iql::nn
