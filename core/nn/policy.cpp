#include "core/nn/policy.h"

#include <cmath>

namespace iql::nn {

Policy::Policy(int64_t obs_dim, int64_t act_dim, int64_t hidden, bool gaussian, double dropout, int64_t members)
    : members_(members),
      act_dim_(act_dim),
      trunk_({obs_dim, hidden, hidden, act_dim}, members, dropout),
      gaussian_(gaussian),
      log_std_(members > 1 ? torch::zeros({members, act_dim}) : torch::zeros({act_dim})),
      log_std_grad_(torch::zeros_like(log_std_)),
      trunk_adam_(trunk_.num_parameters()),
      log_std_adam_(log_std_.numel()),
      trunk_segs_(trunk_.member_segments(1)),
      log_std_segs_(log_std_segments()) {}

std::vector<Segment> Policy::log_std_segments() const {
  std::vector<Segment> s;
  for (int64_t k = 0; k < members_; ++k) s.push_back({k * act_dim_, act_dim_, k});
  return s;
}

void Policy::set_generators(const std::vector<at::Generator>* gens) {
  gens_ = gens;
  trunk_.set_generators(gens, 1);
}

torch::Tensor Policy::weighted_loss_backward(const torch::Tensor& obs_in, const torch::Tensor& act_in,
                                             const torch::Tensor& w_in) {
  const bool single = obs_in.dim() == 2;
  auto obs = single ? obs_in.unsqueeze(0) : obs_in;  // [P, B, o]
  auto act = single ? act_in.unsqueeze(0) : act_in;
  auto w = single ? w_in.unsqueeze(0) : w_in;        // [P, B]
  const double n = static_cast<double>(obs.size(1));
  auto mu = torch::tanh(trunk_.forward(obs, true));  // [P, B, a]
  auto wcol = w.unsqueeze(2);
  torch::Tensor loss, grad_mu;
  if (gaussian_) {
    auto raw = log_std_.view({members_, 1, act_dim_});
    auto ls = raw.clamp(-5.0, 2.0);
    auto inv_std = torch::exp(-ls);
    auto z = (act - mu) * inv_std;
    auto logp = (-0.5 * z * z - ls - 0.5 * std::log(2.0 * M_PI)).sum(2);  // [P, B]
    loss = -(w * logp).mean(1);
    grad_mu = wcol * z * inv_std * (-1.0 / n);  // d(-w logp / n)/d mu = -w z / (std n)
    // d/d ls of -w logp / n = -w (z^2 - 1) / n, zero where the clip is active
    auto g_ls = ((z * z - 1.0) * wcol).sum(1) * (-1.0 / n);  // [P, a]
    auto inside = (raw >= -5.0).logical_and(raw <= 2.0).squeeze(1);
    log_std_grad_.view({members_, act_dim_}).copy_(g_ls * inside);
  } else {
    auto diff = mu - act;
    loss = (w * (diff * diff).sum(2)).mean(1);
    grad_mu = wcol * diff * (2.0 / n);
  }
  trunk_.backward(grad_mu * (1.0 - mu * mu));  // tanh'
  return single ? loss.squeeze(0) : loss;
}

void Policy::optimizer_step(const std::vector<double>& lrs) {
  trunk_adam_.step_members(trunk_.params(), trunk_.grad(), trunk_segs_, lrs);
  if (gaussian_) log_std_adam_.step_members(log_std_, log_std_grad_, log_std_segs_, lrs);
}

void Policy::to_device(const torch::Device& device, const std::vector<uint64_t>& seeds) {
  trunk_.to_device(device, seeds, 1);
  log_std_ = log_std_.to(device);
  log_std_grad_ = log_std_grad_.to(device);
  trunk_adam_.to_device(device, trunk_segs_);
  log_std_adam_.to_device(device, log_std_segs_);
}

void Policy::optimizer_step_device(const torch::Tensor& lrs) {
  trunk_adam_.step_device(trunk_.params(), trunk_.grad(), lrs);
  if (gaussian_) log_std_adam_.step_device(log_std_, log_std_grad_, lrs);
}

void Policy::count_device_step() {
  trunk_adam_.count_step();
  if (gaussian_) log_std_adam_.count_step();
}

torch::Tensor Policy::mean(const torch::Tensor& obs) { return torch::tanh(trunk_.forward(obs, false)); }

torch::Tensor Policy::act_deterministic(const torch::Tensor& obs) { return mean(obs).clamp(-1.0, 1.0); }

torch::Tensor Policy::act_sample(const torch::Tensor& obs) {
  auto mu = mean(obs);
  if (!gaussian_) return mu.clamp(-1.0, 1.0);
  // Drawn on the CPU from the member's generator whatever the device: the same stream as a CPU run.
  auto noise = torch::empty(mu.sizes());
  noise.normal_(0.0, 1.0, gens_ ? (*gens_)[0] : at::Generator());  // sampling is a one-member (online) use
  noise = noise.to(mu.device());
  auto std = torch::exp(clipped_log_std());
  if (members_ > 1) std = std.view({members_, 1, act_dim_});
  return mu + noise * std;
}

}  // namespace iql::nn
