// D4RL normalised score: 100 * (return - REF_MIN) / (REF_MAX - REF_MIN), where 0 is a random policy
// and 100 an expert. Reference returns are D4RL's for MuJoCo and our own for Pendulum.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace iql {

struct ReferenceReturns {
  double min = 0.0;  // random policy
  double max = 0.0;  // expert policy
};

// env: an env name ("hopper") or a dataset name whose first dash-separated part is one
// ("hopper-medium-v2", "antmaze-umaze-v0"); case-insensitive. nullopt if unknown.
std::optional<ReferenceReturns> reference_returns(const std::string& env);
std::optional<double> normalized_score(const std::string& env, double ret);

// Env names that have reference returns, sorted.
std::vector<std::string> scored_env_names();

}  // namespace iql
