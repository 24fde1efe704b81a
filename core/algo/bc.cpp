#include "core/nn/archive_io.h"
#include "core/algo/bc.h"

#include "core/algo/iql_math.h"

namespace iql::algo {

BehaviourCloning::BehaviourCloning(int64_t obs_dim, int64_t act_dim, const TrainConfig& cfg)
    : cfg_(cfg), policy_(obs_dim, act_dim, cfg.hidden, cfg.policy == "gaussian", cfg.dropout) {}

Metrics BehaviourCloning::update(const Batch& b, bool want_metrics) {
  torch::NoGradGuard no_grad;
  const double lr = (cfg_.actor_cosine_decay && !schedule_frozen_) ? cosine_decay(cfg_.actor_lr, step_, cfg_.steps)
                                                                   : cfg_.actor_lr;
  auto loss = policy_.weighted_loss_backward(b.obs, b.act, torch::ones({b.obs.size(0)}));
  policy_.optimizer_step(lr);
  ++step_;
  if (!want_metrics) return {};
  return {{"actor_loss", loss.item<double>()},
          {"policy_std", torch::exp(policy_.clipped_log_std()).mean().item<double>()},
          {"actor_lr", lr}};
}

torch::Tensor BehaviourCloning::act(const torch::Tensor& obs, bool deterministic) {
  torch::NoGradGuard no_grad;
  return deterministic ? policy_.act_deterministic(obs) : policy_.act_sample(obs);
}

bool BehaviourCloning::set_hyperparameter(const std::string& name, double value) {
  if (name != "actor_lr") return false;
  cfg_.actor_lr = value;
  return true;
}

void BehaviourCloning::save(torch::serialize::OutputArchive& ar) {
  ar.write("bc.actor", policy_.trunk().params());
  ar.write("bc.log_std", policy_.log_std());
  ar.write("bc.actor_adam.m", policy_.trunk_adam().exp_avg());
  ar.write("bc.actor_adam.v", policy_.trunk_adam().exp_avg_sq());
  ar.write("bc.log_std_adam.m", policy_.log_std_adam().exp_avg());
  ar.write("bc.log_std_adam.v", policy_.log_std_adam().exp_avg_sq());
  ar.write("bc.counters", torch::tensor({step_, policy_.trunk_adam().steps(), policy_.log_std_adam().steps()}));
  ar.write("bc.actor_lr", torch::tensor({cfg_.actor_lr}, torch::kFloat64));
}

void BehaviourCloning::load(torch::serialize::InputArchive& ar) {
  torch::NoGradGuard no_grad;
  torch::Tensor t;
  t = nn::read_tensor(ar, "bc.actor"); policy_.trunk().params().copy_(t);
  t = nn::read_tensor(ar, "bc.log_std"); policy_.log_std().copy_(t);
  t = nn::read_tensor(ar, "bc.actor_adam.m"); policy_.trunk_adam().exp_avg().copy_(t);
  t = nn::read_tensor(ar, "bc.actor_adam.v"); policy_.trunk_adam().exp_avg_sq().copy_(t);
  t = nn::read_tensor(ar, "bc.log_std_adam.m"); policy_.log_std_adam().exp_avg().copy_(t);
  t = nn::read_tensor(ar, "bc.log_std_adam.v"); policy_.log_std_adam().exp_avg_sq().copy_(t);
  t = nn::read_tensor(ar, "bc.counters");
  step_ = t[0].item<int64_t>();
  policy_.trunk_adam().set_steps(t[1].item<int64_t>());
  policy_.log_std_adam().set_steps(t[2].item<int64_t>());
  t = nn::read_tensor(ar, "bc.actor_lr"); cfg_.actor_lr = t.item<double>();
}

}  // namespace iql::algo
