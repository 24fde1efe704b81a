#include "core/nn/archive_io.h"
#include "core/algo/iql.h"

#include "core/algo/iql_math.h"
#include "core/nn/member_slices.h"

namespace iql::algo {

namespace {
std::vector<AgentHyperparameters> one(const AgentHyperparameters& h) { return {h}; }
torch::Tensor column(const std::vector<AgentHyperparameters>& cs, double AgentHyperparameters::*field) {
  std::vector<float> v;
  for (const auto& c : cs) v.push_back(static_cast<float>(c.*field));
  return torch::tensor(v).view({-1, 1});
}
}  // namespace

Iql::Iql(int64_t obs_dim, int64_t act_dim, const AgentHyperparameters& hp) : Iql(obs_dim, act_dim, one(hp), nullptr) {}

Iql::Iql(int64_t obs_dim, int64_t act_dim, const std::vector<AgentHyperparameters>& members,
         const std::vector<at::Generator>* gens)
    : cfgs_(members),
      corl_(members.at(0).corl),
      value_({obs_dim, members[0].hidden, members[0].hidden, 1}, static_cast<int64_t>(members.size())),
      critic_({obs_dim + act_dim, members[0].hidden, members[0].hidden, 1}, 2 * static_cast<int64_t>(members.size())),
      target_critic_({obs_dim + act_dim, members[0].hidden, members[0].hidden, 1}, 2 * static_cast<int64_t>(members.size())),
      policy_(obs_dim, act_dim, members[0].hidden, members[0].gaussian_policy, 0.0, static_cast<int64_t>(members.size())),
      value_adam_(value_.num_parameters()),
      critic_adam_(critic_.num_parameters()),
      value_segs_(value_.member_segments(1)),
      critic_segs_(critic_.member_segments(2)) {
  if (gens) {  // each member's networks from its own stream, in the order a one-member agent draws them
    value_.reset_parameters(std::sqrt(2.0), gens, 1);
    critic_.reset_parameters(std::sqrt(2.0), gens, 2);
    target_critic_.reset_parameters(std::sqrt(2.0), gens, 2);
    policy_.trunk().reset_parameters(std::sqrt(2.0), gens, 1);
    policy_.set_generators(gens);
  }
  target_critic_.copy_from(critic_);
  refresh_hyperparameters();
}

// Host vectors and tensor columns from cfgs_. On the device path the tensors are overwritten in place:
// a captured graph keeps reading the same memory, so live changes reach it without re-capture.
void Iql::refresh_hyperparameters() {
  auto set = [&](torch::Tensor& dst, const torch::Tensor& src) {
    if (device_path_) dst.copy_(src.to(dst.scalar_type()).view(dst.sizes()));
    else dst = src;
  };
  set(tau_, column(cfgs_, &AgentHyperparameters::expectile));
  set(beta_, column(cfgs_, &AgentHyperparameters::temperature));
  set(gamma_, column(cfgs_, &AgentHyperparameters::discount));
  set(max_weight_, column(cfgs_, &AgentHyperparameters::max_weight));
  value_lrs_.clear();
  critic_lrs_.clear();
  polyak_.clear();
  std::vector<double> dropout, actor_lrs, cosine_steps, cosine_on;
  for (const auto& c : cfgs_) {
    value_lrs_.push_back(c.value_lr);
    critic_lrs_.push_back(c.critic_lr);
    polyak_.push_back(c.polyak);
    dropout.push_back(c.dropout);
    actor_lrs.push_back(c.actor_lr);
    cosine_steps.push_back(static_cast<double>(c.cosine_steps));
    cosine_on.push_back(c.actor_cosine_decay && !schedule_frozen_ && c.cosine_steps > 0 ? 1.0 : 0.0);
  }
  policy_.trunk().set_dropout(dropout);
  value_adam_.set_lr(cfgs_[0].value_lr);  // the one-member API reads these
  critic_adam_.set_lr(cfgs_[0].critic_lr);
  if (device_path_) {
    auto f64 = [](const std::vector<double>& v) { return torch::tensor(v, torch::kFloat64); };
    value_lr_d_.copy_(f64(value_lrs_));
    critic_lr_d_.copy_(f64(critic_lrs_));
    polyak_d_.copy_(f64(polyak_));
    actor_lr_d_.copy_(f64(actor_lrs));
    cosine_steps_d_.copy_(f64(cosine_steps));
    cosine_on_d_.copy_(f64(cosine_on));
  }
}

void Iql::set_actor_schedule_frozen(bool frozen) {
  schedule_frozen_ = frozen;
  refresh_hyperparameters();
}

double Iql::actor_lr_at(int64_t k, int64_t step) const {
  const auto& c = cfgs_.at(k);
  if (!c.actor_cosine_decay || schedule_frozen_) return c.actor_lr;
  return cosine_decay(c.actor_lr, step, c.cosine_steps);
}

double Iql::current_actor_lr(int64_t k) const { return actor_lr_at(k, step_); }

void Iql::to_device(const torch::Device& device, const std::vector<uint64_t>& seeds) {
  value_.to_device(device, seeds, 1);
  critic_.to_device(device, seeds, 2);
  target_critic_.to_device(device, seeds, 2);
  policy_.to_device(device, seeds);
  value_adam_.to_device(device, value_segs_);
  critic_adam_.to_device(device, critic_segs_);
  for (auto* t : {&tau_, &beta_, &gamma_, &max_weight_}) *t = t->to(device);
  const int64_t P = members();
  auto f64 = torch::TensorOptions().dtype(torch::kFloat64).device(device);
  for (auto* t : {&value_lr_d_, &critic_lr_d_, &polyak_d_, &actor_lr_d_, &cosine_steps_d_, &cosine_on_d_})
    *t = torch::zeros({P}, f64);
  step_d_ = torch::full({}, static_cast<double>(step_), f64);
  stats_d_ = torch::zeros({13, P}, torch::TensorOptions().dtype(torch::kFloat).device(device));
  device_path_ = true;
  refresh_hyperparameters();
}

torch::Tensor Iql::update_core(const Batch& b_in, bool want_stats, const std::vector<double>& actor_lrs) {
  torch::NoGradGuard no_grad;  // gradients are hand-derived (see nn/mlp.h)
  const bool flat = b_in.obs.dim() == 2;  // one member, [B, ...] batch
  auto up = [&](const torch::Tensor& t) { return flat ? t.unsqueeze(0) : t; };
  const auto obs = up(b_in.obs), act = up(b_in.act), rew = up(b_in.rew), next_obs = up(b_in.next_obs),
             terminal = up(b_in.terminal);
  const int64_t P = members(), n = obs.size(1);
  auto sa = torch::cat({obs, act}, 2);             // [P, B, o + a]
  auto obs_both = torch::cat({obs, next_obs}, 1);  // [P, 2B, o]

  // 1. V: expectile regression to the min of the target critics.
  auto q = std::get<0>(target_critic_.forward(sa, false).view({P, 2, n}).min(1));  // [P, B]
  torch::Tensor v_pre_s, v_pre_next;
  if (corl_) {
    auto v_pre = value_.forward(obs_both, false).view({P, 2 * n});
    v_pre_s = v_pre.narrow(1, 0, n);
    v_pre_next = v_pre.narrow(1, n, n);
  }
  auto v = value_.forward(obs, true).view({P, n});
  auto u = q - v;
  auto ew = (tau_ - (u < 0).to(torch::kFloat)).abs();  // |tau - 1(u < 0)|, one tau per member
  value_.backward((ew * u * (-2.0 / n)).view({P, n, 1}));
  if (device_path_) value_adam_.step_device(value_.params(), value_.grad(), value_lr_d_);
  else value_adam_.step_members(value_.params(), value_.grad(), value_segs_, value_lrs_);

  // 2. Actor: advantage-weighted regression with the updated V (CORL: pre-update V).
  torch::Tensor v_s, v_next;
  if (corl_) {
    v_s = v_pre_s;
    v_next = v_pre_next;
  } else {
    auto v_new = value_.forward(obs_both, false).view({P, 2 * n});
    v_s = v_new.narrow(1, 0, n);
    v_next = v_new.narrow(1, n, n);
  }
  auto adv = q - v_s;
  auto w = torch::min(torch::exp(beta_ * adv), max_weight_);
  auto actor_loss = policy_.weighted_loss_backward(obs, act, w);  // [P]
  if (device_path_)  // the actor schedule evaluated on the device, at the update count before this step
    policy_.optimizer_step_device(
        torch::where(cosine_on_d_ > 0.5, cosine_decay(actor_lr_d_, step_d_, cosine_steps_d_), actor_lr_d_));
  else policy_.optimizer_step(actor_lrs);

  // 3. Q: TD regression to V(s'), never to Q; timeouts are not terminals.
  auto y = rew + gamma_ * (1.0 - terminal) * v_next;     // [P, B]
  auto qo = critic_.forward(sa, true).view({P, 2, n});  // twins of member p at 2p, 2p + 1
  auto diff = qo - y.unsqueeze(1);
  const double q_scale = corl_ ? 0.5 : 1.0;  // official sums the two MSEs, CORL averages them
  critic_.backward((diff * (2.0 * q_scale / n)).view({2 * P, n, 1}));
  // 4. Adam on the critics with the Polyak target update fused into the same pass.
  if (device_path_)
    critic_adam_.step_device(critic_.params(), critic_.grad(), critic_lr_d_, &target_critic_.params(), &polyak_d_);
  else
    critic_adam_.step_members(critic_.params(), critic_.grad(), critic_segs_, critic_lrs_, &target_critic_.params(),
                              &polyak_);
  if (!want_stats) return {};
  auto sq = diff * diff;
  auto wsum = w.sum(1);
  return torch::stack({(ew * u * u).mean(1), sq.mean(2).sum(1) * q_scale, actor_loss.view({P}), v.mean(1),
                       q.mean(1), qo.mean({1, 2}), adv.mean(1), adv.std(1), std::get<0>(adv.max(1)), w.mean(1),
                       (w >= max_weight_).to(torch::kFloat).mean(1), wsum * wsum / (n * (w * w).sum(1)),
                       torch::exp(policy_.clipped_log_std()).view({P, -1}).mean(1)});
}

std::vector<Metrics> Iql::metrics_from(const torch::Tensor& stats, int64_t step) const {
  const auto host = stats.to(torch::kCPU);
  auto s = host.accessor<float, 2>();
  std::vector<Metrics> out(members());
  for (int64_t k = 0; k < members(); ++k)
    out[k] = {{"v_loss", s[0][k]},        {"q_loss", s[1][k]},          {"actor_loss", s[2][k]},
              {"v_mean", s[3][k]},        {"q_target_mean", s[4][k]},   {"q_mean", s[5][k]},
              {"adv_mean", s[6][k]},      {"adv_std", s[7][k]},         {"adv_max", s[8][k]},
              {"awr_weight_mean", s[9][k]}, {"awr_clip_frac", s[10][k]}, {"awr_ess", s[11][k]},
              {"policy_std", s[12][k]},   {"actor_lr", actor_lr_at(k, step)}};
  return out;
}

std::vector<Metrics> Iql::update_members(const Batch& b, bool want_metrics) {
  if (device_path_) {  // a batch from outside the device loop (the online phase): move it, step eagerly
    const auto dev = tau_.device();
    device_update({b.obs.to(dev), b.act.to(dev), b.rew.to(dev), b.next_obs.to(dev), b.terminal.to(dev)});
    finish_device_step();
    return want_metrics ? device_metrics() : std::vector<Metrics>(members());
  }
  std::vector<double> actor_lrs;
  for (int64_t k = 0; k < members(); ++k) actor_lrs.push_back(current_actor_lr(k));
  auto stats = update_core(b, want_metrics, actor_lrs);
  ++step_;
  return want_metrics ? metrics_from(stats, step_ - 1) : std::vector<Metrics>(members());
}

void Iql::device_update(const Batch& b) {
  stats_d_.copy_(update_core(b, true, {}));
  step_d_.add_(1.0);
}

void Iql::finish_device_step() {
  ++step_;
  value_adam_.count_step();
  critic_adam_.count_step();
  policy_.count_device_step();
}

std::vector<Metrics> Iql::device_metrics() { return metrics_from(stats_d_, step_ - 1); }

// On the device path, observations from the host (evaluation, the online phase) go to the device and
// the actions come back to where the observations were.
torch::Tensor Iql::act(const torch::Tensor& obs_in, bool deterministic) {
  torch::NoGradGuard no_grad;
  auto obs = obs_in.to(tau_.device());
  auto a = deterministic ? policy_.act_deterministic(obs) : policy_.act_sample(obs);
  return a.to(obs_in.device());
}

ProbeValues Iql::probe(const Batch& b_in) {
  torch::NoGradGuard no_grad;
  const auto dev = tau_.device();
  const Batch b{b_in.obs.to(dev), b_in.act.to(dev), b_in.rew.to(dev), b_in.next_obs.to(dev), b_in.terminal.to(dev)};
  const bool flat = b.obs.dim() == 2;
  auto obs = flat ? b.obs.unsqueeze(0) : b.obs;
  auto act = flat ? b.act.unsqueeze(0) : b.act;
  const int64_t P = members(), n = obs.size(1);
  ProbeValues p;
  auto sa = torch::cat({obs, act}, 2);
  p.q = std::get<0>(target_critic_.forward(sa, false).view({P, 2, n}).min(1));
  p.v = value_.forward(obs, false).view({P, n});
  p.adv = p.q - p.v;
  p.weights = torch::min(torch::exp(beta_ * p.adv), max_weight_);
  if (flat) {
    p.q = p.q[0];
    p.v = p.v[0];
    p.adv = p.adv[0];
    p.weights = p.weights[0];
  }
  for (auto* t : {&p.q, &p.v, &p.adv, &p.weights}) *t = t->to(b_in.obs.device());
  return p;
}

bool Iql::set_hyperparameter(const std::string& name, double value, int64_t member) {
  if (!cfgs_[0].live(name)) return false;
  for (int64_t k = 0; k < members(); ++k)
    if (member < 0 || member == k) *cfgs_[k].live(name) = value;
  refresh_hyperparameters();
  return true;
}

namespace {
void save_adam(torch::serialize::OutputArchive& ar, const std::string& k, nn::FlatAdam& a,
               const std::vector<nn::Segment>& segs, int64_t member, double lr) {
  ar.write(k + ".m", nn::gather_member(a.exp_avg(), segs, member));
  ar.write(k + ".v", nn::gather_member(a.exp_avg_sq(), segs, member));
  ar.write(k + ".t", torch::tensor({a.steps()}, torch::kInt64));
  ar.write(k + ".lr", torch::tensor({lr}, torch::kFloat64));
}
// Returns the stored learning rate.
double load_adam(torch::serialize::InputArchive& ar, const std::string& k, nn::FlatAdam& a,
                 const std::vector<nn::Segment>& segs, int64_t member) {
  nn::scatter_member(a.exp_avg(), segs, member, nn::read_tensor(ar, k + ".m"));
  nn::scatter_member(a.exp_avg_sq(), segs, member, nn::read_tensor(ar, k + ".v"));
  a.set_steps(nn::read_tensor(ar, k + ".t").item<int64_t>());
  return nn::read_tensor(ar, k + ".lr").item<double>();
}
}  // namespace

void Iql::save_member(torch::serialize::OutputArchive& ar, int64_t k) {
  const auto& c = cfgs_.at(k);
  const auto actor_segs = policy_.trunk().member_segments(1), ls_segs = policy_.log_std_segments();
  ar.write("iql.value", nn::gather_member(value_.params(), value_segs_, k));
  ar.write("iql.critic", nn::gather_member(critic_.params(), critic_segs_, k));
  ar.write("iql.target_critic", nn::gather_member(target_critic_.params(), critic_segs_, k));
  ar.write("iql.actor", nn::gather_member(policy_.trunk().params(), actor_segs, k));
  ar.write("iql.log_std", nn::gather_member(policy_.log_std().view({-1}), ls_segs, k));
  save_adam(ar, "iql.value_adam", value_adam_, value_segs_, k, c.value_lr);
  save_adam(ar, "iql.critic_adam", critic_adam_, critic_segs_, k, c.critic_lr);
  save_adam(ar, "iql.actor_adam", policy_.trunk_adam(), actor_segs, k, c.actor_lr);
  save_adam(ar, "iql.log_std_adam", policy_.log_std_adam(), ls_segs, k, c.actor_lr);
  ar.write("iql.step", torch::tensor({step_}, torch::kInt64));
  ar.write("iql.hyper", torch::tensor({c.expectile, c.temperature, c.actor_lr, c.discount, c.polyak}, torch::kFloat64));
}

void Iql::load_member(torch::serialize::InputArchive& ar, int64_t k) {
  torch::NoGradGuard no_grad;
  const auto actor_segs = policy_.trunk().member_segments(1), ls_segs = policy_.log_std_segments();
  nn::scatter_member(value_.params(), value_segs_, k, nn::read_tensor(ar, "iql.value"));
  nn::scatter_member(critic_.params(), critic_segs_, k, nn::read_tensor(ar, "iql.critic"));
  nn::scatter_member(target_critic_.params(), critic_segs_, k, nn::read_tensor(ar, "iql.target_critic"));
  nn::scatter_member(policy_.trunk().params(), actor_segs, k, nn::read_tensor(ar, "iql.actor"));
  auto ls = policy_.log_std().view({-1});
  nn::scatter_member(ls, ls_segs, k, nn::read_tensor(ar, "iql.log_std"));
  auto& c = cfgs_.at(k);
  c.value_lr = load_adam(ar, "iql.value_adam", value_adam_, value_segs_, k);
  c.critic_lr = load_adam(ar, "iql.critic_adam", critic_adam_, critic_segs_, k);
  load_adam(ar, "iql.actor_adam", policy_.trunk_adam(), actor_segs, k);
  load_adam(ar, "iql.log_std_adam", policy_.log_std_adam(), ls_segs, k);
  step_ = nn::read_tensor(ar, "iql.step").item<int64_t>();
  if (device_path_) step_d_.fill_(static_cast<double>(step_));
  auto t = nn::read_tensor(ar, "iql.hyper");
  auto h = t.accessor<double, 1>();
  c.expectile = h[0];
  c.temperature = h[1];
  c.actor_lr = h[2];
  c.discount = h[3];
  c.polyak = h[4];
  refresh_hyperparameters();
}

}  // namespace iql::algo
