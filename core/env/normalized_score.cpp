#include "core/env/normalized_score.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace iql {

namespace {

const std::map<std::string, ReferenceReturns>& table() {
  static const std::map<std::string, ReferenceReturns> t = {
      // D4RL's REF_MIN_SCORE / REF_MAX_SCORE (infos.py), shared by every dataset of the env.
      {"halfcheetah", {-280.178953, 12135.0}},
      {"hopper", {-20.272305, 3234.3}},
      {"walker2d", {1.629008, 4592.3}},
      {"ant", {-325.6, 3879.7}},
      {"antmaze", {0.0, 1.0}},
      // Pendulum-v1 has no D4RL reference; ours, measured with this code: mean undiscounted
      // return over 100 episodes of 200 steps, PendulumEnv::reset(0) then reset() for each next
      // episode. min: uniform random torque, PendulumBehaviourPolicy({1, 0}, seed 0).
      // max: the noise-free expert, PendulumBehaviourPolicy({0, 0}, seed 0)
      // (pendulum_expert_torque). test_env_normalized_score re-measures both.
      {"pendulum", {-1215.502428, -144.832720}},
  };
  return t;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::optional<ReferenceReturns> reference_returns(const std::string& env) {
  const std::string key = lower(env);
  auto it = table().find(key);
  if (it == table().end()) it = table().find(key.substr(0, key.find('-')));
  if (it == table().end()) return std::nullopt;
  return it->second;
}

std::optional<double> normalized_score(const std::string& env, double ret) {
  const auto ref = reference_returns(env);
  if (!ref) return std::nullopt;
  return 100.0 * (ret - ref->min) / (ref->max - ref->min);
}

std::vector<std::string> scored_env_names() {
  std::vector<std::string> out;
  for (const auto& kv : table()) out.push_back(kv.first);
  return out;
}

}  // namespace iql
