#include "core/algo/iql_math.h"

#include <algorithm>
#include <cmath>

namespace iql::algo {

torch::Tensor expectile_weight(const torch::Tensor& u, double tau) {
  return torch::where(u < 0, torch::full_like(u, 1.0 - tau), torch::full_like(u, tau));
}

torch::Tensor expectile_loss(const torch::Tensor& u, double tau) { return (expectile_weight(u, tau) * u * u).mean(); }

torch::Tensor awr_weights(const torch::Tensor& adv, double beta, double max_weight) {
  return torch::exp(adv * beta).clamp_max(max_weight);
}

torch::Tensor effective_sample_fraction(const torch::Tensor& w) {
  auto s = w.sum();
  return s * s / (w.numel() * (w * w).sum()).clamp_min(1e-30);
}

torch::Tensor gaussian_log_prob(const torch::Tensor& mean, const torch::Tensor& log_std, const torch::Tensor& x) {
  auto z = (x - mean) * torch::exp(-log_std);
  return (-0.5 * z * z - log_std - 0.5 * std::log(2.0 * M_PI)).sum(-1);
}

void polyak_update(torch::Tensor& target, const torch::Tensor& online, double rate) {
  torch::NoGradGuard g;
  target.lerp_(online, rate);
}

double cosine_decay(double base, int64_t step, int64_t total) {
  if (total <= 0) return base;
  const double t = static_cast<double>(std::min(step, total)) / static_cast<double>(total);
  return base * 0.5 * (1.0 + std::cos(M_PI * t));
}

torch::Tensor cosine_decay(const torch::Tensor& base, const torch::Tensor& step, const torch::Tensor& total) {
  auto t = torch::minimum(step, total) / total.clamp_min(1.0);
  return base * 0.5 * (1.0 + torch::cos(M_PI * t));
}

}  // namespace iql::algo
