#include "core/stats/bootstrap.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/stats/summary_stats.h"

namespace iql::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check(const BootstrapSettings& s) {
  if (s.resamples < 1) throw std::invalid_argument("bootstrap: resamples must be >= 1, got " + std::to_string(s.resamples));
  if (!(s.confidence > 0.0 && s.confidence < 1.0))
    throw std::invalid_argument("bootstrap: confidence must be in (0, 1), got " + std::to_string(s.confidence));
}

void resample_into(const std::vector<std::vector<double>>& scores, std::mt19937_64& rng,
                   std::vector<std::vector<double>>& out) {
  for (std::size_t d = 0; d < scores.size(); ++d) {
    const auto& src = scores[d];
    auto& dst = out[d];
    for (std::size_t i = 0; i < src.size(); ++i) dst[i] = src[draw_index(rng, src.size())];
  }
}
}  // namespace

std::size_t draw_index(std::mt19937_64& rng, std::size_t n) {
  if (n == 0) throw std::invalid_argument("draw_index: n must be >= 1");
  const std::uint64_t range = static_cast<std::uint64_t>(n);
  // the largest multiple of n that fits: outputs at or above it would favour small indices
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t x;
  do x = rng();
  while (x >= limit);
  return static_cast<std::size_t>(x % range);
}

Interval percentile_interval(double point, std::vector<double> replicates, double confidence) {
  const double alpha = (1.0 - confidence) / 2.0;
  Interval r{point, kNaN, kNaN};
  if (replicates.empty()) return r;
  r.low = quantile(replicates, alpha);  // NaN when any replicate is NaN
  r.high = quantile(std::move(replicates), 1.0 - alpha);
  return r;
}

std::vector<Interval> stratified_bootstrap_many(const std::vector<std::vector<double>>& scores,
                                                const StratifiedVectorStatistic& statistic,
                                                const BootstrapSettings& settings) {
  check(settings);
  const std::vector<double> point = statistic(scores);
  std::vector<std::vector<double>> replicates(point.size());
  for (auto& r : replicates) r.reserve(static_cast<std::size_t>(settings.resamples));
  std::mt19937_64 rng(settings.seed);
  std::vector<std::vector<double>> resampled = scores;  // same shape, overwritten each time
  for (int b = 0; b < settings.resamples; ++b) {
    resample_into(scores, rng, resampled);
    const std::vector<double> v = statistic(resampled);
    if (v.size() != point.size()) throw std::logic_error("stratified_bootstrap_many: statistic changed its output size");
    for (std::size_t i = 0; i < v.size(); ++i) replicates[i].push_back(v[i]);
  }
  std::vector<Interval> out;
  out.reserve(point.size());
  for (std::size_t i = 0; i < point.size(); ++i)
    out.push_back(percentile_interval(point[i], std::move(replicates[i]), settings.confidence));
  return out;
}

Interval stratified_bootstrap(const std::vector<std::vector<double>>& scores, const StratifiedStatistic& statistic,
                              const BootstrapSettings& settings) {
  return stratified_bootstrap_many(
             scores, [&](const std::vector<std::vector<double>>& s) { return std::vector<double>{statistic(s)}; },
             settings)
      .front();
}

Interval index_bootstrap(std::size_t n, const IndexStatistic& statistic, const BootstrapSettings& settings) {
  check(settings);
  std::vector<std::size_t> indices(n);
  for (std::size_t i = 0; i < n; ++i) indices[i] = i;
  const double point = statistic(indices);
  if (n == 0) return {point, point, point};
  std::vector<double> replicates;
  replicates.reserve(static_cast<std::size_t>(settings.resamples));
  std::mt19937_64 rng(settings.seed);
  for (int b = 0; b < settings.resamples; ++b) {
    for (std::size_t i = 0; i < n; ++i) indices[i] = draw_index(rng, n);
    replicates.push_back(statistic(indices));
  }
  return percentile_interval(point, std::move(replicates), settings.confidence);
}

}  // namespace iql::stats
