#include "core/train/antmaze_policy_check.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>

#include "core/env/antmaze_env.h"
#include "core/env/maze_planner.h"
#include "core/train/goal_reaching_policy.h"

namespace iql {

namespace {

struct Noise {
  std::mt19937_64 g;
  double uniform() { return static_cast<double>(g() >> 11) * (1.0 / 9007199254740992.0); }
  double normal() {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.28318530717958647692 * u2);
  }
};

// Steps every live env once toward its waypoint (one batched forward).
void act_all(const GoalReachingPolicy& p, std::vector<std::unique_ptr<AntMazeEnv>>& envs, const std::vector<int>& live,
             const std::vector<std::array<double, 2>>& wps, std::vector<std::vector<float>>& obs, bool sampled,
             double noise, Noise& rng, std::vector<StepResult>* results) {
  const int L = static_cast<int>(live.size());
  std::vector<float> in(L * 29), mean(L * 8), log_std(L * 8);
  for (int j = 0; j < L; ++j) GoalReachingPolicy::make_input(obs[live[j]].data(), wps[j][0], wps[j][1], &in[j * 29]);
  p.forward(in.data(), L, mean.data(), log_std.data());
  results->resize(L);
  for (int j = 0; j < L; ++j) {
    std::vector<float> a(8);
    for (int i = 0; i < 8; ++i) {
      const size_t at = j * 8 + i;
      double v = sampled ? std::tanh(mean[at] + std::exp(log_std[at]) * rng.normal()) + noise * rng.normal()
                         : std::tanh(mean[at]);
      a[i] = static_cast<float>(std::max(-1.0, std::min(1.0, v)));
    }
    (*results)[j] = envs[live[j]]->step(a);
    obs[live[j]] = (*results)[j].observation;
  }
}

}  // namespace

PolicyCheckResult check_antmaze_policy(const PolicyCheckOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const GoalReachingPolicy p(o.policy_path.empty() ? GoalReachingPolicy::default_path() : o.policy_path);
  PolicyCheckResult r;
  Noise rng{std::mt19937_64(o.seed)};
  const double noise = o.action_noise;

  // reach
  {
    std::vector<std::unique_ptr<AntMazeEnv>> envs;
    std::vector<std::vector<float>> obs;
    std::vector<std::array<double, 2>> target;
    for (int k = 0; k < o.reach_trials; ++k) {
      envs.push_back(std::make_unique<AntMazeEnv>("open", o.physics));
      obs.push_back(envs.back()->reset(o.seed * 1000 + k));
      const double th = 6.28318530717958647692 * k / o.reach_trials;
      target.push_back({o.reach_distance * std::cos(th), o.reach_distance * std::sin(th)});
      envs.back()->set_goal(target.back()[0], target.back()[1]);
    }
    std::vector<int> steps(o.reach_trials, -1), live;
    std::vector<StepResult> res;
    for (int t = 1; t <= o.reach_steps; ++t) {
      live.clear();
      std::vector<std::array<double, 2>> wps;
      for (int k = 0; k < o.reach_trials; ++k)
        if (steps[k] < 0) live.push_back(k), wps.push_back(target[k]);
      if (live.empty()) break;
      act_all(p, envs, live, wps, obs, o.sampled, noise, rng, &res);
      for (size_t j = 0; j < live.size(); ++j)
        if (res[j].reward > 0) steps[live[j]] = t;
    }
    r.reach_trials = o.reach_trials;
    double sum = 0;
    for (int s : steps)
      if (s > 0) ++r.reached, sum += s;
    r.reach_mean_steps = r.reached ? sum / r.reached : 0;
  }

  // navigate
  {
    std::vector<std::unique_ptr<AntMazeEnv>> envs;
    std::vector<std::vector<float>> obs;
    for (int e = 0; e < o.episodes; ++e) {
      envs.push_back(std::make_unique<AntMazeEnv>(o.maze, o.physics));
      obs.push_back(envs.back()->reset(o.seed * 7919 + e));
      r.goals.push_back(envs.back()->goal());
      r.paths.push_back({obs.back()[0], obs.back()[1]});
    }
    std::vector<bool> done(o.episodes, false);
    std::vector<int> live;
    std::vector<StepResult> res;
    double sum = 0;
    while (true) {
      live.clear();
      std::vector<std::array<double, 2>> wps;
      for (int e = 0; e < o.episodes; ++e) {
        if (done[e]) continue;
        live.push_back(e);
        bool no_path = false;
        const auto xy = envs[e]->xy();
        wps.push_back(d4rl_waypoint(envs[e]->maze(), xy[0], xy[1], envs[e]->goal(), [&rng] { return rng.uniform(); }, &no_path));
      }
      if (live.empty()) break;
      act_all(p, envs, live, wps, obs, o.sampled, noise, rng, &res);
      for (size_t j = 0; j < live.size(); ++j) {
        const int e = live[j];
        r.paths[e].push_back(obs[e][0]);
        r.paths[e].push_back(obs[e][1]);
        if (res[j].terminal) ++r.successes, sum += envs[e]->elapsed_steps();
        if (res[j].terminal || res[j].timeout) done[e] = true;
      }
    }
    r.episodes = o.episodes;
    r.success_mean_steps = r.successes ? sum / r.successes : 0;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::string PolicyCheckResult::to_text() const {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "reach: %d of %d trials (%.1f%%) got within 0.5 m of a waypoint 4 m away within the step budget "
                "(mean %.1f steps)\nnavigate: %d of %d episodes (%.1f%%) reached the goal (mean %.1f steps); %.1f s\n",
                reached, reach_trials, 100.0 * reached / std::max(1, reach_trials), reach_mean_steps, successes,
                episodes, 100.0 * successes / std::max(1, episodes), success_mean_steps, seconds);
  return buf;
}

}  // namespace iql
