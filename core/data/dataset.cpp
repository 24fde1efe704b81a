#include "core/data/dataset.h"

#include <cmath>

#include "core/util/errors.h"

namespace iql {

void Dataset::rebuild_episode_index(EpisodeEnds ends) {
  episode_starts.clear();
  const int64_t n = size();
  if (n == 0) return;
  episode_starts.push_back(0);
  for (int64_t i = 0; i + 1 < n; ++i) {
    bool boundary = timeouts[i] || (ends == EpisodeEnds::TerminalsAndTimeouts && terminals[i]);
    if (!boundary) {
      const float* nxt = &next_observations[i * obs_dim];
      const float* obs = &observations[(i + 1) * obs_dim];
      for (int d = 0; d < obs_dim; ++d) {
        if (std::abs(nxt[d] - obs[d]) > 1e-6f) { boundary = true; break; }
      }
    }
    if (boundary) episode_starts.push_back(i + 1);
  }
}

std::vector<double> Dataset::episode_returns() const {
  std::vector<double> out;
  out.reserve(episode_starts.size());
  for (size_t e = 0; e < episode_starts.size(); ++e) {
    const int64_t begin = episode_starts[e];
    const int64_t end = e + 1 < episode_starts.size() ? episode_starts[e + 1] : size();
    double sum = 0.0;
    for (int64_t i = begin; i < end; ++i) sum += rewards[i];
    out.push_back(sum);
  }
  return out;
}

namespace {
void check_len(const std::string& file, const char* key, size_t got, size_t want, const std::string& shape) {
  if (got != want)
    throw DataError(file, key, "has " + std::to_string(got) + " values, expected shape " + shape);
}
void check_finite(const std::string& file, const char* key, const std::vector<float>& v, int width) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw DataError(file, key, "non-finite value (NaN or Inf) at row " + std::to_string(i / width) +
                                     ", column " + std::to_string(i % width));
    }
  }
}
}  // namespace

void Dataset::validate() const {
  const size_t n = rewards.size();
  const std::string N = std::to_string(n);
  if (n == 0) throw DataError(source, "rewards", "dataset is empty, expected shape (N,) with N > 0");
  if (obs_dim <= 0) throw DataError(source, "observations", "expected shape (N, obs_dim) with obs_dim > 0");
  if (act_dim <= 0) throw DataError(source, "actions", "expected shape (N, act_dim) with act_dim > 0");
  const std::string od = std::to_string(obs_dim), ad = std::to_string(act_dim);
  check_len(source, "observations", observations.size(), n * obs_dim, "(" + N + ", " + od + ")");
  check_len(source, "next_observations", next_observations.size(), n * obs_dim, "(" + N + ", " + od + ")");
  check_len(source, "actions", actions.size(), n * act_dim, "(" + N + ", " + ad + ")");
  check_len(source, "terminals", terminals.size(), n, "(" + N + ",)");
  check_len(source, "timeouts", timeouts.size(), n, "(" + N + ",)");
  check_finite(source, "observations", observations, obs_dim);
  check_finite(source, "next_observations", next_observations, obs_dim);
  check_finite(source, "actions", actions, act_dim);
  check_finite(source, "rewards", rewards, 1);
}

}  // namespace iql
