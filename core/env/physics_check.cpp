#include "core/env/physics_check.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/env/env_registry.h"
#include "core/env/mujoco_env.h"
#include "core/env/pendulum.h"
#include "core/stats/summary_stats.h"
#include "core/util/errors.h"

namespace iql {

namespace {
ErrorStats error_stats(std::vector<double> v) {
  ErrorStats s;
  if (v.empty()) return s;  // nothing replayed: all zero
  std::sort(v.begin(), v.end());
  s.mean = stats::mean(v);
  s.median = stats::quantile_sorted(v, 0.5);
  s.p95 = stats::quantile_sorted(v, 0.95);
  s.max = v.back();
  const auto small = std::count_if(v.begin(), v.end(), [](double x) { return x < 1e-4; });
  s.fraction_below_1e4 = static_cast<double>(small) / v.size();
  return s;
}

// qpos without the leading coordinates the observation omits (x; Ant: x and y), then qvel.
bool recover_mujoco_state(const MujocoEnv& env, const float* obs, std::vector<double>& qpos, std::vector<double>& qvel) {
  const int nq = env.model()->nq, nv = env.model()->nv;
  const int skip = nq - (env.obs_dim() - nv);  // leading qpos entries not observed
  qpos.assign(nq, 0.0);
  qvel.assign(nv, 0.0);
  for (int i = skip; i < nq; ++i) qpos[i] = obs[i - skip];
  const bool clipped = env.name() == "hopper" || env.name() == "walker2d";
  for (int i = 0; i < nv; ++i) {
    qvel[i] = obs[nq - skip + i];
    if (clipped && std::abs(qvel[i]) >= 10.0 - 1e-6) return false;  // the true velocity is unknown
  }
  return true;
}
}  // namespace

PhysicsCheckResult check_physics(const Dataset& d, const std::string& env_name, const std::string& physics,
                                 int64_t max_transitions) {
  auto env = make_env(env_name, physics);
  if (d.obs_dim != env->obs_dim() || d.act_dim != env->act_dim())
    throw DataError(d.source, "observations",
                    "dims (" + std::to_string(d.obs_dim) + ", " + std::to_string(d.act_dim) + ") do not match env '" +
                        env_name + "' (" + std::to_string(env->obs_dim()) + ", " + std::to_string(env->act_dim()) + ")");
  auto* mj = dynamic_cast<MujocoEnv*>(env.get());
  auto* pend = dynamic_cast<PendulumEnv*>(env.get());
  if (!mj && !pend) throw ConfigError("check-physics: no state recovery for env '" + env_name + "'");
  PhysicsCheckResult r;
  r.env = env_name;
  r.physics = mj ? physics : "classic";
  const int64_t n = max_transitions > 0 ? std::min(max_transitions, d.size()) : d.size();
  std::vector<double> obs_err, rew_err;
  std::vector<double> qpos, qvel;
  for (int64_t i = 0; i < n; ++i) {
    const float* o = &d.observations[i * d.obs_dim];
    if (mj) {
      if (!recover_mujoco_state(*mj, o, qpos, qvel)) {
        ++r.skipped;
        continue;
      }
      mj->set_state(qpos, qvel);
    } else {
      pend->set_state(std::atan2(o[1], o[0]), o[2]);
    }
    std::vector<float> a(&d.actions[i * d.act_dim], &d.actions[(i + 1) * d.act_dim]);
    auto s = env->step(a);
    double e = 0.0;
    for (int k = 0; k < d.obs_dim; ++k)
      e = std::max(e, std::abs(static_cast<double>(s.observation[k]) - d.next_observations[i * d.obs_dim + k]));
    obs_err.push_back(e);
    rew_err.push_back(std::abs(s.reward - d.rewards[i]));
  }
  r.checked = static_cast<int64_t>(obs_err.size());
  r.obs_error = error_stats(std::move(obs_err));
  r.reward_error = error_stats(std::move(rew_err));
  return r;
}

std::string PhysicsCheckResult::to_json() const {
  auto s = [](const ErrorStats& e) {
    return nlohmann::json{{"mean", e.mean}, {"median", e.median}, {"p95", e.p95}, {"max", e.max},
                          {"fraction_below_1e-4", e.fraction_below_1e4}};
  };
  return nlohmann::json{{"env", env}, {"physics", physics}, {"checked", checked}, {"skipped", skipped},
                        {"next_obs_error", s(obs_error)}, {"reward_error", s(reward_error)}}
      .dump(2);
}

std::string PhysicsCheckResult::to_text() const {
  std::ostringstream os;
  os.precision(3);
  os << env << " / " << physics << ": " << checked << " transitions replayed, " << skipped << " skipped\n";
  for (auto [name, e] : {std::pair<const char*, const ErrorStats*>{"next obs", &obs_error}, {"reward  ", &reward_error}})
    os << "  " << name << " error: median " << e->median << ", mean " << e->mean << ", p95 " << e->p95 << ", max "
       << e->max << ", " << 100.0 * e->fraction_below_1e4 << "% below 1e-4\n";
  return os.str();
}

}  // namespace iql
