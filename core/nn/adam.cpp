#include "core/nn/adam.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace iql::nn {

FlatAdam::FlatAdam(int64_t numel, double lr, double beta1, double beta2, double eps)
    : lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {
  m_ = torch::zeros({numel});
  v_ = torch::zeros({numel});
}

void FlatAdam::set_steps(int64_t t) {
  t_ = t;
  if (device_path_) t_device_.fill_(static_cast<double>(t));
}

void FlatAdam::to_device(const torch::Device& device, const std::vector<Segment>& segs_in) {
  m_ = m_.to(device);
  v_ = v_.to(device);
  t_device_ = torch::full({}, static_cast<double>(t_), torch::TensorOptions().dtype(torch::kFloat64).device(device));
  auto segs = segs_in;
  std::sort(segs.begin(), segs.end(), [](const Segment& a, const Segment& b) { return a.offset < b.offset; });
  blocks_.clear();
  for (const auto& s : segs) {
    if (!blocks_.empty()) {
      Block& b = blocks_.back();
      if (s.length == b.length && s.offset == b.offset + b.length * b.count && s.member == b.first_member + b.count) {
        ++b.count;
        continue;
      }
    }
    blocks_.push_back({s.offset, s.length, s.member, 1});
  }
  device_path_ = true;
}

void FlatAdam::step_device(torch::Tensor& params_in, const torch::Tensor& grad_in, const torch::Tensor& lrs,
                           torch::Tensor* target_in, const torch::Tensor* rates) {
  // Flat views: a population's log-std is [P, act] while the moments are one flat buffer.
  auto params = params_in.view({-1});
  const auto grad = grad_in.view({-1});
  torch::Tensor target_flat = target_in ? target_in->view({-1}) : torch::Tensor();
  torch::Tensor* target = target_in ? &target_flat : nullptr;
  t_device_.add_(1.0);
  // Bias corrections in float64 on the device (as the CPU loop computes them in double on the host).
  auto bc1 = 1.0 - torch::pow(beta1_, t_device_);
  auto bc2 = 1.0 - torch::pow(beta2_, t_device_);
  m_.mul_(beta1_).add_(grad, 1.0 - beta1_);
  v_.mul_(beta2_).addcmul_(grad, grad, 1.0 - beta2_);
  auto denom = (v_.sqrt() * torch::rsqrt(bc2).to(torch::kFloat)).add_(eps_);
  auto update = m_ / denom;
  auto step_size = (lrs / bc1).to(torch::kFloat);  // [P]
  auto rate = rates ? rates->to(torch::kFloat) : torch::Tensor();
  for (const auto& b : blocks_) {
    auto p = params.narrow(0, b.offset, b.length * b.count).view({b.count, b.length});
    auto u = update.narrow(0, b.offset, b.length * b.count).view({b.count, b.length});
    p.sub_(u * step_size.narrow(0, b.first_member, b.count).view({b.count, 1}));
    if (target) {
      auto t = target->narrow(0, b.offset, b.length * b.count).view({b.count, b.length});
      t.add_((p - t) * rate.narrow(0, b.first_member, b.count).view({b.count, 1}));
    }
  }
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
