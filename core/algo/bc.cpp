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
  if (device_path_) {  // a batch from outside the device loop: move it, step eagerly
    const auto dev = lr_d_.device();
    device_update({b.obs.to(dev), b.act.to(dev), b.rew.to(dev), b.next_obs.to(dev), b.terminal.to(dev)});
    finish_device_step();
    return want_metrics ? device_metrics() : std::vector<Metrics>(members());
  }
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

void BehaviourCloning::set_actor_schedule_frozen(bool frozen) {
  schedule_frozen_ = frozen;
  refresh_device_schedule();
}

void BehaviourCloning::refresh_device_schedule() {
  if (!device_path_) return;
  std::vector<double> lr, steps, on;
  for (const auto& c : cfgs_) {
    lr.push_back(c.actor_lr);
    steps.push_back(static_cast<double>(c.cosine_steps));
    on.push_back(c.actor_cosine_decay && !schedule_frozen_ && c.cosine_steps > 0 ? 1.0 : 0.0);
  }
  lr_d_.copy_(torch::tensor(lr, torch::kFloat64));
  cosine_steps_d_.copy_(torch::tensor(steps, torch::kFloat64));
  cosine_on_d_.copy_(torch::tensor(on, torch::kFloat64));
}

void BehaviourCloning::to_device(const torch::Device& device, const std::vector<uint64_t>& seeds) {
  policy_.to_device(device, seeds);
  auto f64 = torch::TensorOptions().dtype(torch::kFloat64).device(device);
  for (auto* t : {&lr_d_, &cosine_steps_d_, &cosine_on_d_}) *t = torch::zeros({members()}, f64);
  step_d_ = torch::full({}, static_cast<double>(step_), f64);
  stats_d_ = torch::zeros({2, members()}, torch::TensorOptions().dtype(torch::kFloat).device(device));
  device_path_ = true;
  refresh_device_schedule();
}

void BehaviourCloning::device_update(const Batch& b) {
  torch::NoGradGuard no_grad;
  const bool flat = b.obs.dim() == 2;
  const int64_t P = members(), n = flat ? b.obs.size(0) : b.obs.size(1);
  auto ones = torch::ones({P, n}, b.obs.options());
  auto obs = flat ? b.obs.unsqueeze(0) : b.obs, act = flat ? b.act.unsqueeze(0) : b.act;
  auto loss = policy_.weighted_loss_backward(obs, act, ones).view({P});
  policy_.optimizer_step_device(
      torch::where(cosine_on_d_ > 0.5, cosine_decay(lr_d_, step_d_, cosine_steps_d_), lr_d_));
  stats_d_.copy_(torch::stack({loss, torch::exp(policy_.clipped_log_std()).view({P, -1}).mean(1)}));
  step_d_.add_(1.0);
}

void BehaviourCloning::finish_device_step() {
  ++step_;
  policy_.count_device_step();
}

std::vector<Metrics> BehaviourCloning::device_metrics() {
  auto s = stats_d_.to(torch::kCPU);
  auto a = s.accessor<float, 2>();
  std::vector<Metrics> out(members());
  const int64_t step = step_ - 1;
  for (int64_t k = 0; k < members(); ++k) {
    const auto& c = cfgs_[k];
    const double lr = (c.actor_cosine_decay && !schedule_frozen_) ? cosine_decay(c.actor_lr, step, c.cosine_steps) : c.actor_lr;
    out[k] = {{"actor_loss", a[0][k]}, {"policy_std", a[1][k]}, {"actor_lr", lr}};
  }
  return out;
}

torch::Tensor BehaviourCloning::act(const torch::Tensor& obs_in, bool deterministic) {
  torch::NoGradGuard no_grad;
  auto obs = obs_in.to(policy_.log_std().device());  // device path: to the device and back
  auto a = deterministic ? policy_.act_deterministic(obs) : policy_.act_sample(obs);
  return a.to(obs_in.device());
}

bool BehaviourCloning::set_hyperparameter(const std::string& name, double value, int64_t member) {
  if (name != "actor_lr") return false;
  for (int64_t k = 0; k < members(); ++k)
    if (member < 0 || member == k) cfgs_[k].actor_lr = value;
  refresh_device_schedule();
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
  if (device_path_) step_d_.fill_(static_cast<double>(step_));
  refresh_device_schedule();
}

}  // namespace iql::algo
