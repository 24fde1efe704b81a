#include "core/data/dataset_inspector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/stats/summary_stats.h"

namespace iql {
namespace {

void column_range(const std::vector<float>& v, int64_t rows, int width, std::vector<float>* mn, std::vector<float>* mx) {
  mn->assign(width, 0.f);
  mx->assign(width, 0.f);
  if (rows == 0) return;
  std::copy(v.begin(), v.begin() + width, mn->begin());
  std::copy(v.begin(), v.begin() + width, mx->begin());
  for (int64_t i = 1; i < rows; ++i) {
    for (int c = 0; c < width; ++c) {
      const float x = v[i * width + c];
      (*mn)[c] = std::min((*mn)[c], x);
      (*mx)[c] = std::max((*mx)[c], x);
    }
  }
}

std::string vec_text(const std::vector<float>& v) {
  std::string s = "[";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.4g", i ? ", " : "", v[i]);
    s += buf;
  }
  return s + "]";
}

}  // namespace

DatasetStats inspect_dataset(const Dataset& in) {
  DatasetStats s;
  s.transitions = in.size();
  s.obs_dim = in.obs_dim;
  s.act_dim = in.act_dim;
  s.obs_min.assign(in.obs_dim, 0.f);
  s.obs_max.assign(in.obs_dim, 0.f);
  s.act_min.assign(in.act_dim, 0.f);
  s.act_max.assign(in.act_dim, 0.f);
  if (s.transitions == 0) return s;

  Dataset rebuilt;  // only used when the caller never built the episode index
  const Dataset* d = &in;
  if (in.episode_starts.empty()) {
    rebuilt = in;
    rebuilt.rebuild_episode_index();
    d = &rebuilt;
  }
  s.episodes = d->num_episodes();
  for (int64_t i = 0; i < s.transitions; ++i) {
    s.terminals += d->terminals[i] != 0;
    s.timeouts += d->timeouts[i] != 0;
  }
  column_range(d->observations, s.transitions, d->obs_dim, &s.obs_min, &s.obs_max);
  column_range(d->actions, s.transitions, d->act_dim, &s.act_min, &s.act_max);

  const auto [rmin, rmax] = std::minmax_element(d->rewards.begin(), d->rewards.end());
  s.reward_min = *rmin;
  s.reward_max = *rmax;
  s.reward_mean = stats::mean(d->rewards);

  s.sparse_rewards = std::all_of(d->rewards.begin(), d->rewards.end(), [](float r) { return r == 0.f || r == 1.f; });
  if (s.sparse_rewards) {
    bool hit = false;
    for (int64_t i = 0; i < s.transitions; ++i) {
      const bool success = d->rewards[i] == 1.f;
      s.success_transitions += success;
      hit = hit || success;
      bool cut = i + 1 == s.transitions || d->timeouts[i];
      for (int c = 0; !cut && c < d->obs_dim; ++c)
        cut = std::abs(d->next_observations[i * d->obs_dim + c] - d->observations[(i + 1) * d->obs_dim + c]) > 1e-6f;
      if (cut) {
        ++s.trajectories;
        s.successful_trajectories += hit;
        hit = false;
      }
    }
  }

  // Every episode of the dataset is the whole being described: population std, as numpy's default.
  std::vector<double> ret = d->episode_returns();
  std::sort(ret.begin(), ret.end());
  const stats::Summary r = stats::summarize(ret, stats::StdConvention::Population);
  s.return_mean = r.mean;
  s.return_std = r.std;
  s.return_min = r.min;
  s.return_max = r.max;
  s.return_q05 = stats::quantile_sorted(ret, 0.05);
  s.return_q25 = stats::quantile_sorted(ret, 0.25);
  s.return_q50 = stats::quantile_sorted(ret, 0.50);
  s.return_q75 = stats::quantile_sorted(ret, 0.75);
  s.return_q95 = stats::quantile_sorted(ret, 0.95);
  return s;
}

std::string stats_to_json(const DatasetStats& s) {
  nlohmann::json j = {
      {"transitions", s.transitions}, {"episodes", s.episodes}, {"terminals", s.terminals},
      {"timeouts", s.timeouts},       {"obs_dim", s.obs_dim},   {"act_dim", s.act_dim},
      {"return_min", s.return_min},   {"return_max", s.return_max}, {"return_mean", s.return_mean},
      {"return_std", s.return_std},   {"return_q05", s.return_q05}, {"return_q25", s.return_q25},
      {"return_q50", s.return_q50},   {"return_q75", s.return_q75}, {"return_q95", s.return_q95},
      {"obs_min", s.obs_min},         {"obs_max", s.obs_max},   {"act_min", s.act_min},
      {"act_max", s.act_max},         {"reward_min", s.reward_min}, {"reward_max", s.reward_max},
      {"reward_mean", s.reward_mean}, {"sparse_rewards", s.sparse_rewards},
      {"success_transitions", s.success_transitions}, {"trajectories", s.trajectories},
      {"successful_trajectories", s.successful_trajectories}};
  return j.dump(2);
}

std::string stats_to_text(const DatasetStats& s) {
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf, "transitions %lld, episodes %lld (terminals %lld, timeouts %lld)\n",
                (long long)s.transitions, (long long)s.episodes, (long long)s.terminals, (long long)s.timeouts);
  out += buf;
  std::snprintf(buf, sizeof buf, "obs_dim %d, act_dim %d\n", s.obs_dim, s.act_dim);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "episode return: mean %.4g, std %.4g, min %.4g, max %.4g\n"
                "  quantiles 5%% %.4g, 25%% %.4g, 50%% %.4g, 75%% %.4g, 95%% %.4g\n",
                s.return_mean, s.return_std, s.return_min, s.return_max, s.return_q05, s.return_q25,
                s.return_q50, s.return_q75, s.return_q95);
  out += buf;
  std::snprintf(buf, sizeof buf, "reward: mean %.4g, min %.4g, max %.4g\n", s.reward_mean, s.reward_min,
                s.reward_max);
  out += buf;
  if (s.sparse_rewards) {
    std::snprintf(buf, sizeof buf,
                  "sparse 0/1 rewards: %lld reward-1 transitions (%.4f); %lld of %lld trajectories (cut at time-outs) "
                  "reach the goal\n",
                  (long long)s.success_transitions, double(s.success_transitions) / s.transitions,
                  (long long)s.successful_trajectories, (long long)s.trajectories);
    out += buf;
  }
  out += "obs min " + vec_text(s.obs_min) + "\nobs max " + vec_text(s.obs_max) + "\n";
  out += "act min " + vec_text(s.act_min) + "\nact max " + vec_text(s.act_max) + "\n";
  return out;
}

}  // namespace iql
