#include "core/nn/archive_io.h"
#include "core/algo/iql.h"

#include "core/algo/iql_math.h"

namespace iql::algo {

Iql::Iql(int64_t obs_dim, int64_t act_dim, const TrainConfig& cfg)
    : cfg_(cfg),
      corl_(cfg.algorithm == "iql-corl"),
      value_({obs_dim, cfg.hidden, cfg.hidden, 1}),
      critic_({obs_dim + act_dim, cfg.hidden, cfg.hidden, 1}, 2),
      target_critic_({obs_dim + act_dim, cfg.hidden, cfg.hidden, 1}, 2),
      policy_(obs_dim, act_dim, cfg.hidden, cfg.policy == "gaussian", cfg.dropout),
      value_adam_(value_.num_parameters(), cfg.value_lr),
      critic_adam_(critic_.num_parameters(), cfg.critic_lr) {
  target_critic_.copy_from(critic_);
}

double Iql::current_actor_lr() const {
  if (!cfg_.actor_cosine_decay || schedule_frozen_) return cfg_.actor_lr;
  return cosine_decay(cfg_.actor_lr, step_, cfg_.steps);
}

Metrics Iql::update(const Batch& b, bool want_metrics) {
  torch::NoGradGuard no_grad;  // gradients are hand-derived (see nn/mlp.h)
  const int64_t n = b.obs.size(0);
  const double tau = cfg_.expectile, beta = cfg_.temperature, gamma = cfg_.discount;
  auto sa = torch::cat({b.obs, b.act}, 1);
  auto obs_both = torch::cat({b.obs, b.next_obs}, 0);

  // 1. V: expectile regression to the min of the target critics.
  auto q = std::get<0>(target_critic_.forward(sa, false).squeeze(-1).min(0));  // [B]
  torch::Tensor v_pre_s, v_pre_next;
  if (corl_) {
    auto v_pre = value_.forward(obs_both, false).squeeze(-1);
    v_pre_s = v_pre.narrow(0, 0, n);
    v_pre_next = v_pre.narrow(0, n, n);
  }
  auto v = value_.forward(b.obs, true).squeeze(-1);
  auto u = q - v;
  auto ew = expectile_weight(u, tau);
  value_.backward((ew * u * (-2.0 / n)).unsqueeze(-1));
  value_adam_.step(value_.params(), value_.grad());

  // 2. Actor: advantage-weighted regression with the updated V (CORL: pre-update V).
  torch::Tensor v_s, v_next;
  if (corl_) {
    v_s = v_pre_s;
    v_next = v_pre_next;
  } else {
    auto v_new = value_.forward(obs_both, false).squeeze(-1);
    v_s = v_new.narrow(0, 0, n);
    v_next = v_new.narrow(0, n, n);
  }
  auto adv = q - v_s;
  auto w = awr_weights(adv, beta, cfg_.max_weight);
  const double actor_lr = current_actor_lr();
  auto actor_loss = policy_.weighted_loss_backward(b.obs, b.act, w);
  policy_.optimizer_step(actor_lr);

  // 3. Q: TD regression to V(s'), never to Q; timeouts are not terminals.
  auto y = b.rew + gamma * (1.0 - b.terminal) * v_next;
  auto qo = critic_.forward(sa, true).squeeze(-1);  // [2, B]
  auto diff = qo - y.unsqueeze(0);
  const double q_scale = corl_ ? 0.5 : 1.0;  // official sums the two MSEs, CORL averages them
  critic_.backward((diff * (2.0 * q_scale / n)).unsqueeze(-1));
  // 4. Adam on the critics with the Polyak target update fused into the same pass.
  critic_adam_.step_with_polyak(critic_.params(), critic_.grad(), target_critic_.params(), cfg_.polyak);
  ++step_;

  if (!want_metrics) return {};
  auto sq = diff * diff;
  auto stats = torch::stack({
      (ew * u * u).mean(), sq.mean(1).sum() * q_scale, actor_loss, v.mean(), q.mean(), qo.mean(),
      adv.mean(), adv.std(), adv.max(), w.mean(), (w >= cfg_.max_weight).to(torch::kFloat).mean(),
      effective_sample_fraction(w), torch::exp(policy_.clipped_log_std()).mean()});
  auto s = stats.accessor<float, 1>();
  return {{"v_loss", s[0]},         {"q_loss", s[1]},        {"actor_loss", s[2]},       {"v_mean", s[3]},
          {"q_target_mean", s[4]},  {"q_mean", s[5]},        {"adv_mean", s[6]},         {"adv_std", s[7]},
          {"adv_max", s[8]},        {"awr_weight_mean", s[9]}, {"awr_clip_frac", s[10]}, {"awr_ess", s[11]},
          {"policy_std", s[12]},    {"actor_lr", actor_lr}};
}

torch::Tensor Iql::act(const torch::Tensor& obs, bool deterministic) {
  torch::NoGradGuard no_grad;
  return deterministic ? policy_.act_deterministic(obs) : policy_.act_sample(obs);
}

ProbeValues Iql::probe(const Batch& b) {
  torch::NoGradGuard no_grad;
  ProbeValues p;
  auto sa = torch::cat({b.obs, b.act}, 1);
  p.q = std::get<0>(target_critic_.forward(sa, false).squeeze(-1).min(0));
  p.v = value_.forward(b.obs, false).squeeze(-1);
  p.adv = p.q - p.v;
  p.weights = awr_weights(p.adv, cfg_.temperature, cfg_.max_weight);
  return p;
}

bool Iql::set_hyperparameter(const std::string& name, double value) {
  double* field = cfg_.live_field(name);
  if (!field) return false;
  *field = value;
  value_adam_.set_lr(cfg_.value_lr);  // the optimisers hold their own copies of the rates
  critic_adam_.set_lr(cfg_.critic_lr);
  return true;
}

namespace {
void save_adam(torch::serialize::OutputArchive& ar, const std::string& k, nn::FlatAdam& a) {
  ar.write(k + ".m", a.exp_avg());
  ar.write(k + ".v", a.exp_avg_sq());
  ar.write(k + ".t", torch::tensor({a.steps()}, torch::kInt64));
  ar.write(k + ".lr", torch::tensor({a.lr()}, torch::kFloat64));
}
void load_adam(torch::serialize::InputArchive& ar, const std::string& k, nn::FlatAdam& a) {
  torch::Tensor t;
  t = nn::read_tensor(ar, k + ".m"); a.exp_avg().copy_(t);
  t = nn::read_tensor(ar, k + ".v"); a.exp_avg_sq().copy_(t);
  t = nn::read_tensor(ar, k + ".t"); a.set_steps(t.item<int64_t>());
  t = nn::read_tensor(ar, k + ".lr"); a.set_lr(t.item<double>());
}
void load_into(torch::serialize::InputArchive& ar, const std::string& k, torch::Tensor& dst) {
  torch::Tensor t;
  t = nn::read_tensor(ar, k);
  dst.copy_(t);
}
}  // namespace

void Iql::save(torch::serialize::OutputArchive& ar) {
  ar.write("iql.value", value_.params());
  ar.write("iql.critic", critic_.params());
  ar.write("iql.target_critic", target_critic_.params());
  ar.write("iql.actor", policy_.trunk().params());
  ar.write("iql.log_std", policy_.log_std());
  save_adam(ar, "iql.value_adam", value_adam_);
  save_adam(ar, "iql.critic_adam", critic_adam_);
  save_adam(ar, "iql.actor_adam", policy_.trunk_adam());
  save_adam(ar, "iql.log_std_adam", policy_.log_std_adam());
  ar.write("iql.step", torch::tensor({step_}, torch::kInt64));
  ar.write("iql.hyper", torch::tensor({cfg_.expectile, cfg_.temperature, cfg_.actor_lr, cfg_.discount, cfg_.polyak},
                                      torch::kFloat64));
}

void Iql::load(torch::serialize::InputArchive& ar) {
  torch::NoGradGuard no_grad;
  load_into(ar, "iql.value", value_.params());
  load_into(ar, "iql.critic", critic_.params());
  load_into(ar, "iql.target_critic", target_critic_.params());
  load_into(ar, "iql.actor", policy_.trunk().params());
  load_into(ar, "iql.log_std", policy_.log_std());
  load_adam(ar, "iql.value_adam", value_adam_);
  load_adam(ar, "iql.critic_adam", critic_adam_);
  load_adam(ar, "iql.actor_adam", policy_.trunk_adam());
  load_adam(ar, "iql.log_std_adam", policy_.log_std_adam());
  torch::Tensor t;
  t = nn::read_tensor(ar, "iql.step");
  step_ = t.item<int64_t>();
  t = nn::read_tensor(ar, "iql.hyper");
  auto h = t.accessor<double, 1>();
  cfg_.expectile = h[0];
  cfg_.temperature = h[1];
  cfg_.actor_lr = h[2];
  cfg_.discount = h[3];
  cfg_.polyak = h[4];
  cfg_.value_lr = value_adam_.lr();
  cfg_.critic_lr = critic_adam_.lr();
}

}  // namespace iql::algo
