#include "core/nn/archive_io.h"
#include "core/algo/bc.h"

#include "core/algo/iql_math.h"
#include "core/nn/member_slices.h"

namespace iql::algo {

BehaviourCloning::BehaviourCloning(int64_t obs_dim, int64_t act_dim, const AgentHyperparameters& hp)
    : BehaviourCloning(obs_dim, act_dim, std::vector<AgentHyperparameters>{hp}, nullptr) {}

BehaviourCloning::BehaviourCloning(int64_t obs_dim, int64_t act_dim, const std::vector<AgentHyperparameters>& members,
                                   const std::vector<at::Generator>* gens)
    : cfgs_(members),
      policy_(obs_dim, act_dim, members.at(0).hidden, members[0].gaussian_policy, 0.0,
              static_cast<int64_t>(members.size())) {
  if (gens) {
    policy_.trunk().reset_parameters(std::sqrt(2.0), gens, 1);
    policy_.set_generators(gens);
  }
  std::vector<double> dropout;
  for (const auto& c : cfgs_) dropout.push_back(c.dropout);
  policy_.trunk().set_dropout(dropout);
}

double BehaviourCloning::lr(int64_t k) const {
  const auto& c = cfgs_.at(k);
  return (c.actor_cosine_decay && !schedule_frozen_) ? cosine_decay(c.actor_lr, step_, c.cosine_steps) : c.actor_lr;
}

std::vector<Metrics> BehaviourCloning::update_members(const Batch& b, bool want_metrics) {
  torch::NoGradGuard no_grad;
  const int64_t P = members();
  std::vector<double> lrs;
  for (int64_t k = 0; k < P; ++k) lrs.push_back(lr(k));
  auto ones = b.obs.dim() == 2 ? torch::ones({b.obs.size(0)}) : torch::ones({P, b.obs.size(1)});
  auto loss = policy_.weighted_loss_backward(b.obs, b.act, ones).view({P});
  policy_.optimizer_step(lrs);
  ++step_;
  std::vector<Metrics> out(P);
  if (!want_metrics) return out;
  auto stds = torch::exp(policy_.clipped_log_std()).view({P, -1}).mean(1);
  for (int64_t k = 0; k < P; ++k)
    out[k] = {{"actor_loss", loss[k].item<double>()}, {"policy_std", stds[k].item<double>()}, {"actor_lr", lrs[k]}};
  return out;
}

torch::Tensor BehaviourCloning::act(const torch::Tensor& obs, bool deterministic) {
  torch::NoGradGuard no_grad;
  return deterministic ? policy_.act_deterministic(obs) : policy_.act_sample(obs);
}

bool BehaviourCloning::set_hyperparameter(const std::string& name, double value, int64_t member) {
  if (name != "actor_lr") return false;
  for (int64_t k = 0; k < members(); ++k)
    if (member < 0 || member == k) cfgs_[k].actor_lr = value;
  return true;
}

void BehaviourCloning::save_member(torch::serialize::OutputArchive& ar, int64_t k) {
  const auto segs = policy_.trunk().member_segments(1), ls = policy_.log_std_segments();
  ar.write("bc.actor", nn::gather_member(policy_.trunk().params(), segs, k));
  ar.write("bc.log_std", nn::gather_member(policy_.log_std().view({-1}), ls, k));
  ar.write("bc.actor_adam.m", nn::gather_member(policy_.trunk_adam().exp_avg(), segs, k));
  ar.write("bc.actor_adam.v", nn::gather_member(policy_.trunk_adam().exp_avg_sq(), segs, k));
  ar.write("bc.log_std_adam.m", nn::gather_member(policy_.log_std_adam().exp_avg(), ls, k));
  ar.write("bc.log_std_adam.v", nn::gather_member(policy_.log_std_adam().exp_avg_sq(), ls, k));
  ar.write("bc.counters", torch::tensor({step_, policy_.trunk_adam().steps(), policy_.log_std_adam().steps()}));
  ar.write("bc.actor_lr", torch::tensor({cfgs_.at(k).actor_lr}, torch::kFloat64));
}

void BehaviourCloning::load_member(torch::serialize::InputArchive& ar, int64_t k) {
  torch::NoGradGuard no_grad;
  const auto segs = policy_.trunk().member_segments(1), ls = policy_.log_std_segments();
  nn::scatter_member(policy_.trunk().params(), segs, k, nn::read_tensor(ar, "bc.actor"));
  auto lsv = policy_.log_std().view({-1});
  nn::scatter_member(lsv, ls, k, nn::read_tensor(ar, "bc.log_std"));
  nn::scatter_member(policy_.trunk_adam().exp_avg(), segs, k, nn::read_tensor(ar, "bc.actor_adam.m"));
  nn::scatter_member(policy_.trunk_adam().exp_avg_sq(), segs, k, nn::read_tensor(ar, "bc.actor_adam.v"));
  nn::scatter_member(policy_.log_std_adam().exp_avg(), ls, k, nn::read_tensor(ar, "bc.log_std_adam.m"));
  nn::scatter_member(policy_.log_std_adam().exp_avg_sq(), ls, k, nn::read_tensor(ar, "bc.log_std_adam.v"));
  auto t = nn::read_tensor(ar, "bc.counters");
  step_ = t[0].item<int64_t>();
  policy_.trunk_adam().set_steps(t[1].item<int64_t>());
  policy_.log_std_adam().set_steps(t[2].item<int64_t>());
  cfgs_.at(k).actor_lr = nn::read_tensor(ar, "bc.actor_lr").item<double>();
}

}  // namespace iql::algo
