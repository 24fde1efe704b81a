#include "core/nn/adam.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace iql::nn {

FlatAdam::FlatAdam(int64_t numel, double lr, double beta1, double beta2, double eps)
    : lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {
  m_ = torch::zeros({numel});
  v_ = torch::zeros({numel});
}

void FlatAdam::step(torch::Tensor& params, const torch::Tensor& grad, double lr) {
  run(params, grad, {{0, params.numel(), 0}}, {lr}, nullptr, {0.0});
}

void FlatAdam::step_with_polyak(torch::Tensor& params, const torch::Tensor& grad, torch::Tensor& target, double rate) {
  run(params, grad, {{0, params.numel(), 0}}, {lr_}, target.data_ptr<float>(), {rate});
}

void FlatAdam::step_members(torch::Tensor& params, const torch::Tensor& grad, const std::vector<Segment>& segs,
                            const std::vector<double>& lrs, torch::Tensor* target, const std::vector<double>* rates) {
  run(params, grad, segs, lrs, target ? target->data_ptr<float>() : nullptr,
      rates ? *rates : std::vector<double>(lrs.size(), 0.0));
}

void FlatAdam::run(torch::Tensor& params, const torch::Tensor& grad, const std::vector<Segment>& segs,
                   const std::vector<double>& lrs, float* target, const std::vector<double>& rates) {
  ++t_;
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double bc2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
  // torch.optim.Adam: p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  const float omb1 = static_cast<float>(1.0 - beta1_), omb2 = static_cast<float>(1.0 - beta2_);  // exact in double
  const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(bc2));
  const float eps = static_cast<float>(eps_);
  float* p = params.data_ptr<float>();
  const float* g = grad.data_ptr<float>();
  float* m = m_.data_ptr<float>();
  float* v = v_.data_ptr<float>();
  // Work items of at most kChunk elements, each inside one member's segment.
  constexpr int64_t kChunk = 16384;
  struct Piece {
    int64_t begin, end;
    float step_size, rate;
  };
  std::vector<Piece> pieces;
  for (const auto& s : segs) {
    const float step_size = static_cast<float>(lrs[s.member] / bc1);
    const float r = static_cast<float>(rates[s.member]);
    for (int64_t b = s.offset; b < s.offset + s.length; b += kChunk)
      pieces.push_back({b, std::min(b + kChunk, s.offset + s.length), step_size, r});
  }
  at::parallel_for(0, static_cast<int64_t>(pieces.size()), 1, [&](int64_t pb, int64_t pe) {
    for (int64_t k = pb; k < pe; ++k) {
      const Piece& pc = pieces[k];
      const float step_size = pc.step_size;
      for (int64_t i = pc.begin; i < pc.end; ++i) {
        const float gi = g[i];
        const float mi = b1 * m[i] + omb1 * gi;
        const float vi = b2 * v[i] + omb2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= step_size * mi / (std::sqrt(vi) * inv_sqrt_bc2 + eps);
      }
      if (target) {
        const float r = pc.rate;
        for (int64_t i = pc.begin; i < pc.end; ++i) target[i] += r * (p[i] - target[i]);
      }
    }
  });
}

}  // namespace iql::nn
