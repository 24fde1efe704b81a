#include "core/stats/selection_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

namespace iql::stats {

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0.0 || syy <= 0.0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

// log C(n, r) for the tie-break expectation (lgamma keeps large ties finite).
double log_choose(std::size_t n, std::size_t r) {
  return std::lgamma(n + 1.0) - std::lgamma(r + 1.0) - std::lgamma(n - r + 1.0);
}

template <typename T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<std::size_t>& idx) {
  std::vector<T> out;
  out.reserve(idx.size());
  for (std::size_t i : idx) out.push_back(v[i]);
  return out;
}
}  // namespace

std::vector<double> average_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  for (double v : values)
    if (std::isnan(v)) throw std::invalid_argument("average_ranks: NaN value");
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && values[order[j + 1]] == values[order[i]]) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;  // ranks i+1..j+1
    for (std::size_t t = i; t <= j; ++t) ranks[order[t]] = avg;
    i = j + 1;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size()) throw std::invalid_argument("spearman: estimate and truth differ in size");
  if (x.size() < 2) return kNaN;
  return pearson(average_ranks(x), average_ranks(y));
}

double regret_at_k(const std::vector<double>& estimate, const std::vector<double>& truth, std::size_t k) {
  const std::size_t n = estimate.size();
  if (n != truth.size()) throw std::invalid_argument("regret_at_k: estimate and truth differ in size");
  if (n == 0) throw std::invalid_argument("regret_at_k: no members");
  if (k == 0) throw std::invalid_argument("regret_at_k: k must be at least 1");
  const double best = *std::max_element(truth.begin(), truth.end());
  if (k >= n) return 0.0;
  std::vector<double> sorted_est = estimate;
  std::sort(sorted_est.begin(), sorted_est.end(), std::greater<double>());
  const double boundary = sorted_est[k - 1];  // the k-th highest estimate
  double best_sure = -std::numeric_limits<double>::infinity();  // members strictly above the boundary
  std::size_t above = 0;
  std::vector<double> tie;  // truths of members whose estimate equals the boundary
  for (std::size_t i = 0; i < n; ++i) {
    if (estimate[i] > boundary) {
      best_sure = std::max(best_sure, truth[i]);
      ++above;
    } else if (estimate[i] == boundary) {
      tie.push_back(truth[i]);
    }
  }
  const std::size_t m = k - above, g = tie.size();  // m of the g tied members are chosen at random
  std::sort(tie.begin(), tie.end());
  // The j-th smallest tied truth (1-based) is the best of a random m-subset with probability
  // C(j-1, m-1) / C(g, m); the selection's best is the larger of that and the sure members' best.
  // Normalising by the summed weights keeps the rounding of the binomials out of the result.
  double weighted = 0.0, weights = 0.0;
  for (std::size_t j = m; j <= g; ++j) {
    const double w = std::exp(log_choose(j - 1, m - 1) - log_choose(g, m));
    weighted += w * std::max(best_sure, tie[j - 1]);
    weights += w;
  }
  return std::max(0.0, best - weighted / weights);  // >= 0 by definition; clamp the last rounding
}

Interval regret_interval(const std::vector<double>& estimate, const std::vector<double>& truth, std::size_t k,
                         const BootstrapSettings& settings) {
  return index_bootstrap(
      estimate.size(),
      [&](const std::vector<std::size_t>& idx) { return regret_at_k(pick(estimate, idx), pick(truth, idx), k); },
      settings);
}

SelectionStats selection_stats(const std::vector<double>& estimate, const std::vector<double>& truth,
                               const BootstrapSettings& settings) {
  if (estimate.size() != truth.size()) throw std::invalid_argument("selection_stats: estimate and truth differ in size");
  SelectionStats s;
  s.members = estimate.size();
  if (s.members == 0) throw std::invalid_argument("selection_stats: no members");
  // Spearman: own resampling loop (same generator and draws as index_bootstrap) so that resamples
  // with a constant side can be dropped rather than poisoning the interval.
  std::vector<double> reps;
  std::mt19937_64 rng(settings.seed);
  std::vector<std::size_t> idx(s.members);
  for (int b = 0; b < settings.resamples; ++b) {
    for (auto& i : idx) i = draw_index(rng, s.members);
    const double r = spearman(pick(estimate, idx), pick(truth, idx));
    if (std::isnan(r)) ++s.spearman_dropped_resamples;
    else reps.push_back(r);
  }
  s.spearman = percentile_interval(spearman(estimate, truth), std::move(reps), settings.confidence);
  s.regret_at_1 = regret_interval(estimate, truth, 1, settings);
  s.regret_at_3 = regret_interval(estimate, truth, 3, settings);
  return s;
}

}  // namespace iql::stats
