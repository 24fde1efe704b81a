#include "core/data/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/util/errors.h"

namespace iql {

void ObsNormalizer::apply(float* obs, int64_t rows, int dim) const {
  if (!enabled()) return;
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < dim; ++c) obs[r * dim + c] = (obs[r * dim + c] - mean[c]) / std[c];
}

void scale_and_clip_actions(Dataset& d, float action_high) {
  const float lim = 1.0f - 1e-5f;
  for (auto& a : d.actions) a = std::clamp(a / action_high, -lim, lim);
}

ActionClipReport count_actions_outside(const Dataset& d, float action_high) {
  ActionClipReport r;
  r.bound = action_high;
  r.rows = d.size();
  const int dim = d.act_dim;
  for (int64_t row = 0; row < r.rows; ++row) {
    bool outside = false;
    for (int c = 0; c < dim; ++c) {
      const double a = std::abs(static_cast<double>(d.actions[row * dim + c]));
      r.max_abs = std::max(r.max_abs, a);
      outside = outside || a > action_high;
    }
    r.rows_clipped += outside;
  }
  return r;
}

ActionClipReport clip_actions_to_bound(Dataset& d, float action_high) {
  ActionClipReport r = count_actions_outside(d, action_high);
  if (r.rows_clipped > 0)
    for (auto& a : d.actions) a = std::clamp(a, -action_high, action_high);
  return r;
}

std::string ActionClipReport::to_text() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%.3g%% of rows (%lld of %lld) had actions outside [-%g, %g] (max |a| %.3g); clipped",
                100.0 * fraction(), static_cast<long long>(rows_clipped), static_cast<long long>(rows), bound, bound,
                max_abs);
  return buf;
}

std::string ActionClipReport::to_json() const {
  return nlohmann::json{{"bound", bound}, {"rows", rows}, {"rows_clipped", rows_clipped}, {"fraction", fraction()},
                        {"max_abs", max_abs}}
      .dump();
}

double preprocess_rewards(Dataset& d, const std::string& mode) {
  if (mode == "none") return 1.0;
  if (mode == "antmaze") {
    for (auto& r : d.rewards) r -= 1.0f;
    return 1.0;
  }
  if (mode != "locomotion") throw ConfigError("reward_mode: expected locomotion, antmaze or none, got '" + mode + "'");
  if (d.episode_starts.empty()) d.rebuild_episode_index();
  auto returns = d.episode_returns();
  auto [lo, hi] = std::minmax_element(returns.begin(), returns.end());
  const double range = *hi - *lo;
  if (!(range > 1e-8)) return 1.0;  // a single episode or constant returns: nothing to scale by
  const double factor = 1000.0 / range;
  for (auto& r : d.rewards) r = static_cast<float>(r * factor);
  return factor;
}

ObsNormalizer normalize_observations(Dataset& d, float eps) {
  ObsNormalizer n;
  const int dim = d.obs_dim;
  const int64_t rows = d.size();
  std::vector<double> sum(dim, 0.0), sq(dim, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < dim; ++c) {
      const double x = d.observations[r * dim + c];
      sum[c] += x;
      sq[c] += x * x;
    }
  n.mean.resize(dim);
  n.std.resize(dim);
  for (int c = 0; c < dim; ++c) {
    const double m = sum[c] / rows;
    const double var = std::max(0.0, sq[c] / rows - m * m);
    n.mean[c] = static_cast<float>(m);
    n.std[c] = static_cast<float>(std::sqrt(var)) + eps;
  }
  n.apply(d.observations.data(), rows, dim);
  n.apply(d.next_observations.data(), rows, dim);
  return n;
}

}  // namespace iql
