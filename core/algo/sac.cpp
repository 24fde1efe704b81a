#include "core/algo/sac.h"

#include <cmath>

namespace iql::algo {

namespace {
torch::nn::Sequential mlp(int64_t in, int64_t hidden, int64_t out) {
  return torch::nn::Sequential(torch::nn::Linear(in, hidden), torch::nn::ReLU(), torch::nn::Linear(hidden, hidden),
                               torch::nn::ReLU(), torch::nn::Linear(hidden, out));
}
void copy_params(torch::nn::Module& dst, const torch::nn::Module& src) {
  torch::NoGradGuard g;
  auto d = dst.parameters();
  auto s = src.parameters();
  for (size_t i = 0; i < d.size(); ++i) d[i].copy_(s[i]);
}
}  // namespace

Sac::Sac(int64_t obs_dim, int64_t act_dim, const SacConfig& cfg) : cfg_(cfg), act_dim_(act_dim) {
  actor_ = mlp(obs_dim, cfg.hidden, 2 * act_dim);
  q1_ = mlp(obs_dim + act_dim, cfg.hidden, 1);
  q2_ = mlp(obs_dim + act_dim, cfg.hidden, 1);
  q1_target_ = mlp(obs_dim + act_dim, cfg.hidden, 1);
  q2_target_ = mlp(obs_dim + act_dim, cfg.hidden, 1);
  copy_params(*q1_target_, *q1_);
  copy_params(*q2_target_, *q2_);
  log_alpha_ = torch::full({1}, std::log(cfg.init_alpha)).requires_grad_(true);
  actor_opt_ = std::make_unique<torch::optim::Adam>(actor_->parameters(), torch::optim::AdamOptions(cfg.lr));
  auto critic_params = q1_->parameters();
  for (auto& p : q2_->parameters()) critic_params.push_back(p);
  critic_opt_ = std::make_unique<torch::optim::Adam>(critic_params, torch::optim::AdamOptions(cfg.lr));
  alpha_opt_ = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{log_alpha_}, torch::optim::AdamOptions(cfg.lr));
}

double Sac::alpha() const { return std::exp(log_alpha_.item<double>()); }

torch::Tensor Sac::q(torch::nn::Sequential& net, const torch::Tensor& obs, const torch::Tensor& act) {
  return net->forward(torch::cat({obs, act}, 1)).squeeze(-1);
}

std::pair<torch::Tensor, torch::Tensor> Sac::sample(const torch::Tensor& obs) {
  auto out = actor_->forward(obs);
  auto mu = out.narrow(1, 0, act_dim_);
  auto log_std = out.narrow(1, act_dim_, act_dim_).clamp(-20.0, 2.0);
  auto std = log_std.exp();
  auto u = mu + std * torch::randn_like(mu);
  auto a = torch::tanh(u);
  auto z = (u - mu) / std;
  auto logp = (-0.5 * z * z - log_std - 0.5 * std::log(2 * M_PI)).sum(1);
  logp = logp - torch::log(1 - a * a + 1e-6).sum(1);  // change of variables through tanh
  return {a, logp};
}

torch::Tensor Sac::act(const torch::Tensor& obs, bool deterministic) {
  torch::NoGradGuard g;
  if (deterministic) return torch::tanh(actor_->forward(obs).narrow(1, 0, act_dim_));
  return sample(obs).first;
}

Metrics Sac::update(const Batch& b) {
  const double alpha = this->alpha();
  torch::Tensor y;
  {
    torch::NoGradGuard g;
    auto [a2, logp2] = sample(b.next_obs);
    auto qt = torch::min(q(q1_target_, b.next_obs, a2), q(q2_target_, b.next_obs, a2)) - alpha * logp2;
    y = b.rew + cfg_.discount * (1.0 - b.terminal) * qt;
  }
  auto critic_loss = (q(q1_, b.obs, b.act) - y).pow(2).mean() + (q(q2_, b.obs, b.act) - y).pow(2).mean();
  critic_opt_->zero_grad();
  critic_loss.backward();
  critic_opt_->step();

  auto [a, logp] = sample(b.obs);
  auto qpi = torch::min(q(q1_, b.obs, a), q(q2_, b.obs, a));
  auto actor_loss = (alpha * logp - qpi).mean();
  actor_opt_->zero_grad();
  actor_loss.backward();
  actor_opt_->step();

  const double target_entropy = -static_cast<double>(act_dim_);
  auto alpha_loss = -(log_alpha_ * (logp.detach() + target_entropy)).mean();
  alpha_opt_->zero_grad();
  alpha_loss.backward();
  alpha_opt_->step();

  {
    torch::NoGradGuard g;
    auto polyak = [&](torch::nn::Module& t, torch::nn::Module& s) {
      auto tp = t.parameters();
      auto sp = s.parameters();
      for (size_t i = 0; i < tp.size(); ++i) tp[i].lerp_(sp[i], cfg_.polyak);
    };
    polyak(*q1_target_, *q1_);
    polyak(*q2_target_, *q2_);
  }
  return {{"sac_critic_loss", critic_loss.item<double>()}, {"sac_actor_loss", actor_loss.item<double>()},
          {"sac_alpha", alpha}};
}

std::vector<torch::Tensor> Sac::actor_state() const {
  std::vector<torch::Tensor> s;
  for (auto& p : actor_->parameters()) s.push_back(p.detach().clone());
  return s;
}

void Sac::load_actor_state(const std::vector<torch::Tensor>& s) {
  torch::NoGradGuard g;
  auto ps = actor_->parameters();
  for (size_t i = 0; i < ps.size(); ++i) ps[i].copy_(s[i]);
}

}  // namespace iql::algo
