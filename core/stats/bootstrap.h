// Bootstrap confidence intervals, the one implementation every interval in the workbench uses
// (aggregate statistics, offline policy evaluation's rank statistics, the study report). Percentile
// intervals, as rliable reports them (Agarwal et al., NeurIPS 2021). Reproducible across machines and
// compilers: the generator is std::mt19937_64 (its output sequence is fixed by the C++ standard)
// seeded with BootstrapSettings::seed, and indices are drawn by draw_index below, never by
// std::uniform_int_distribution (whose mapping differs between standard libraries).
// Qt-free and torch-free (core_base).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace iql::stats {

// A point estimate (the statistic on the data as observed) and a percentile interval around it.
struct Interval {
  double point = 0.0, low = 0.0, high = 0.0;
};

struct BootstrapSettings {
  int resamples = 2000;      // >= 1; rliable's default for intervals is 2000 (50000 in its paper)
  std::uint64_t seed = 0;    // seeds std::mt19937_64: same seed, same interval on every machine
  double confidence = 0.95;  // in (0, 1): low/high are the (1-c)/2 and (1+c)/2 quantiles
};

// One of 0..n-1, uniformly, from the generator's raw 64-bit output by rejection (no modulo bias).
// n must be >= 1. Exposed so that other resampling code draws exactly as the bootstraps do.
std::size_t draw_index(std::mt19937_64& rng, std::size_t n);

// Stratified bootstrap (rliable's StratifiedBootstrap without task resampling): scores[d] holds the
// runs of stratum d (a dataset/task, or one group's task). Each resample draws, within each stratum d,
// |scores[d]| runs with replacement from scores[d] only, so a stratum never borrows another's runs and
// keeps its size; an empty stratum stays empty. statistic(resampled) is evaluated on the data itself for
// `point` and on every resample for the percentile interval (linear interpolation, numpy's default).
// A statistic that returns NaN on a resample makes the interval NaN.
// Throws std::invalid_argument for resamples < 1 or confidence outside (0, 1).
using StratifiedStatistic = std::function<double(const std::vector<std::vector<double>>&)>;
Interval stratified_bootstrap(const std::vector<std::vector<double>>& scores, const StratifiedStatistic& statistic,
                              const BootstrapSettings& settings);

// The same for a statistic with several outputs (a performance profile over a threshold grid, several
// aggregates at once): every output sees the same resamples, so one call costs `resamples` draws.
// statistic must return the same number of values every time; result[i] is the interval of output i.
using StratifiedVectorStatistic = std::function<std::vector<double>(const std::vector<std::vector<double>>&)>;
std::vector<Interval> stratified_bootstrap_many(const std::vector<std::vector<double>>& scores,
                                                const StratifiedVectorStatistic& statistic,
                                                const BootstrapSettings& settings);

// Plain bootstrap over n paired items by index, for statistics of paired values (Spearman's rank
// correlation and regret@k over population members: estimate[i] with truth[i]). Each resample draws n
// indices from 0..n-1 with replacement; statistic(indices) reads the caller's arrays through them.
// `point` is statistic(0, 1, ..., n-1). n == 0 gives statistic({}) as every value.
using IndexStatistic = std::function<double(const std::vector<std::size_t>&)>;
Interval index_bootstrap(std::size_t n, const IndexStatistic& statistic, const BootstrapSettings& settings);

// The (1-c)/2 and (1+c)/2 quantiles of bootstrap replicates (the percentile interval) around `point`;
// NaN bounds when a replicate is NaN or there are none. For callers that draw their own resamples.
Interval percentile_interval(double point, std::vector<double> replicates, double confidence);

}  // namespace iql::stats
