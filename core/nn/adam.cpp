#include "core/nn/adam.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace iql::nn {

FlatAdam::FlatAdam(int64_t numel, double lr, double beta1, double beta2, double eps)
    : lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {
  m_ = torch::zeros({numel});
  v_ = torch::zeros({numel});
}

void FlatAdam::step(torch::Tensor& params, const torch::Tensor& grad, double lr) { run(params, grad, lr, nullptr, 0.0); }

void FlatAdam::step_with_polyak(torch::Tensor& params, const torch::Tensor& grad, torch::Tensor& target, double rate) {
  run(params, grad, lr_, target.data_ptr<float>(), rate);
}

void FlatAdam::run(torch::Tensor& params, const torch::Tensor& grad, double lr, float* target, double rate) {
  ++t_;
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double bc2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
  // torch.optim.Adam: p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  const float omb1 = static_cast<float>(1.0 - beta1_), omb2 = static_cast<float>(1.0 - beta2_);  // exact in double
  const float step_size = static_cast<float>(lr / bc1);
  const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(bc2));
  const float eps = static_cast<float>(eps_);
  const float r = static_cast<float>(rate);
  float* p = params.data_ptr<float>();
  const float* g = grad.data_ptr<float>();
  float* m = m_.data_ptr<float>();
  float* v = v_.data_ptr<float>();
  at::parallel_for(0, params.numel(), 16384, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const float gi = g[i];
      const float mi = b1 * m[i] + omb1 * gi;
      const float vi = b2 * v[i] + omb2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= step_size * mi / (std::sqrt(vi) * inv_sqrt_bc2 + eps);
    }
    if (target) {
      for (int64_t i = begin; i < end; ++i) target[i] += r * (p[i] - target[i]);
    }
  });
}

}  // namespace iql::nn
