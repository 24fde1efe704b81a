#include "core/train/online_phase.h"

#include <algorithm>

namespace iql::train {

OnlinePhase::OnlinePhase(algo::Agent& agent, std::unique_ptr<Env> env, const Dataset& data, const ObsNormalizer& norm,
                         float action_high, const OnlineOptions& o)
    : agent_(agent),
      env_(std::move(env)),
      norm_(norm),
      action_high_(action_high),
      opt_(o),
      buffer_(data.obs_dim, data.act_dim, std::max<int64_t>(o.capacity, 1)),
      raw_(data.obs_dim, data.act_dim, std::max<int64_t>(o.online_steps, 1)),
      rng_(o.seed ^ 0x5deece66dULL) {
  // Pre-fill with the whole dataset (the newest rows survive if it exceeds the capacity).
  prefilled_ = std::min<int64_t>(buffer_.add_dataset(data), buffer_.capacity());
  agent_.set_actor_schedule_frozen(true);  // no actor lr decay online
  obs_raw_ = env_->reset(o.seed + 7777);
}

float OnlinePhase::transform_reward(double r) const {
  if (opt_.reward_mode == "antmaze") return static_cast<float>(r - 1.0);
  if (opt_.reward_mode == "none") return static_cast<float>(r);
  return static_cast<float>(r * opt_.reward_scale);
}

algo::Batch OnlinePhase::sample_batch() {
  const int64_t n = opt_.batch_size, o = buffer_.obs_dim(), a = buffer_.act_dim();
  auto idx = buffer_.sample_indices(n, rng_);
  auto obs = torch::empty({n, o}), act = torch::empty({n, a}), nobs = torch::empty({n, o});
  auto rew = torch::empty({n}), term = torch::empty({n});
  float *po = obs.data_ptr<float>(), *pa = act.data_ptr<float>(), *pn = nobs.data_ptr<float>();
  float *pr = rew.data_ptr<float>(), *pt = term.data_ptr<float>();
  for (int64_t k = 0; k < n; ++k) {
    const int64_t r = idx[k];
    std::copy_n(buffer_.obs(r), o, po + k * o);
    std::copy_n(buffer_.act(r), a, pa + k * a);
    std::copy_n(buffer_.next_obs(r), o, pn + k * o);
    pr[k] = buffer_.reward(r);
    pt[k] = buffer_.terminal(r) ? 1.0f : 0.0f;  // timeouts keep bootstrapping
  }
  return {obs, act, rew, nobs, term};
}

OnlineStepInfo OnlinePhase::step(bool want_metrics, StepMetrics* metrics) {
  const int o = buffer_.obs_dim(), a = buffer_.act_dim();
  std::vector<float> obs_n = obs_raw_;
  norm_.apply(obs_n.data(), 1, o);
  auto x = torch::from_blob(obs_n.data(), {1, o}).clone();
  auto act_t = agent_.act(x, /*deterministic=*/false).clamp(-1.0, 1.0).contiguous();
  std::vector<float> act(act_t.data_ptr<float>(), act_t.data_ptr<float>() + a);
  std::vector<float> env_act(act);
  for (auto& v : env_act) v *= action_high_;
  auto r = env_->step(env_act);

  std::vector<float> next_n = r.observation;
  norm_.apply(next_n.data(), 1, o);
  buffer_.add(obs_n.data(), act.data(), transform_reward(r.reward), next_n.data(), r.terminal, r.timeout);
  raw_.add(obs_raw_.data(), env_act.data(), static_cast<float>(r.reward), r.observation.data(), r.terminal, r.timeout);
  ++env_steps_;
  ++episode_len_;
  episode_return_ += r.reward;

  OnlineStepInfo info;
  info.env_steps = env_steps_;
  if (r.terminal || r.timeout) {
    info.episode_done = true;
    info.episode_return = episode_return_;
    info.episode_length = episode_len_;
    episode_return_ = 0.0;
    episode_len_ = 0;
    obs_raw_ = env_->reset();
  } else {
    obs_raw_ = std::move(r.observation);
  }
  for (int k = 0; k < opt_.updates_per_env_step; ++k) {
    const bool last = k + 1 == opt_.updates_per_env_step;
    auto m = agent_.update(sample_batch(), want_metrics && last);
    if (metrics && want_metrics && last) {
      metrics->step = agent_.updates();
      metrics->values = std::move(m);
    }
  }
  return info;
}

}  // namespace iql::train
