#include "core/ope/return_scale.h"

#include <algorithm>
#include <cmath>

namespace iql::ope {

double discounted_steps(double gamma, double steps) { return (1.0 - std::pow(gamma, steps)) / (1.0 - gamma); }

EpisodeReturnEstimate episode_return(double v, double s, double gamma, int max_episode_steps) {
  EpisodeReturnEstimate e;
  e.discounted = v;
  const double cap = 1.0 / (1.0 - gamma);
  e.discounted_steps = std::clamp(s, 1.0, cap);
  const double rest = 1.0 - (1.0 - gamma) * e.discounted_steps;  // gamma^T
  e.length = rest > 1e-12 ? std::log(rest) / std::log(gamma) : std::numeric_limits<double>::infinity();
  e.length_used = std::min(e.length, static_cast<double>(max_episode_steps));
  e.per_step = v / e.discounted_steps;
  e.episode_return = e.per_step * e.length_used;
  return e;
}

EpisodeReturnEstimate episode_return_full_length(double v, double gamma, int max_episode_steps) {
  return episode_return(v, discounted_steps(gamma, max_episode_steps), gamma, max_episode_steps);
}

}  // namespace iql::ope
