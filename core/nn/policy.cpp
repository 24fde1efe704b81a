#include "core/nn/policy.h"

#include <cmath>

namespace iql::nn {

Policy::Policy(int64_t obs_dim, int64_t act_dim, int64_t hidden, bool gaussian, double dropout)
    : trunk_({obs_dim, hidden, hidden, act_dim}, 1, dropout),
      gaussian_(gaussian),
      log_std_(torch::zeros({act_dim})),
      log_std_grad_(torch::zeros({act_dim})),
      trunk_adam_(trunk_.num_parameters()),
      log_std_adam_(act_dim) {}

torch::Tensor Policy::weighted_loss_backward(const torch::Tensor& obs, const torch::Tensor& act, const torch::Tensor& w) {
  const double n = static_cast<double>(obs.size(0));
  auto mu = torch::tanh(trunk_.forward(obs, true));
  auto wcol = w.unsqueeze(1);
  torch::Tensor loss, grad_mu;
  if (gaussian_) {
    auto ls = log_std_.clamp(-5.0, 2.0);
    auto inv_std = torch::exp(-ls);
    auto z = (act - mu) * inv_std;
    auto logp = (-0.5 * z * z - ls - 0.5 * std::log(2.0 * M_PI)).sum(1);
    loss = -(w * logp).mean();
    grad_mu = wcol * z * inv_std * (-1.0 / n);  // d(-w logp / n)/d mu = -w z / (std n)
    // d/d ls of -w logp / n = -w (z^2 - 1) / n, zero where the clip is active
    auto g_ls = ((z * z - 1.0) * wcol).sum(0) * (-1.0 / n);
    auto inside = (log_std_ >= -5.0).logical_and(log_std_ <= 2.0);
    log_std_grad_.copy_(g_ls * inside);
  } else {
    auto diff = mu - act;
    loss = (w * (diff * diff).sum(1)).mean();
    grad_mu = wcol * diff * (2.0 / n);
  }
  trunk_.backward(grad_mu * (1.0 - mu * mu));  // tanh'
  return loss;
}

void Policy::optimizer_step(double lr) {
  trunk_adam_.step(trunk_.params(), trunk_.grad(), lr);
  if (gaussian_) log_std_adam_.step(log_std_, log_std_grad_, lr);
}

torch::Tensor Policy::mean(const torch::Tensor& obs) { return torch::tanh(trunk_.forward(obs, false)); }

torch::Tensor Policy::act_deterministic(const torch::Tensor& obs) { return mean(obs).clamp(-1.0, 1.0); }

torch::Tensor Policy::act_sample(const torch::Tensor& obs) {
  auto mu = mean(obs);
  if (!gaussian_) return mu.clamp(-1.0, 1.0);
  return mu + torch::randn_like(mu) * torch::exp(clipped_log_std());
}

}  // namespace iql::nn
