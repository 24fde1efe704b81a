// How far an offline estimate of each policy's quality can be trusted to pick policies, where the true
// scores are known (DOPE, Fu et al. ICLR 2021; Paine et al. 2020): Spearman's rank correlation between
// estimate and truth, and regret@k, the true score lost by deploying the best of the top k members by
// the estimate instead of the truly best member. Each with a bootstrap interval over members.
// Higher estimates must mean "predicted better" (negate an error such as a TD error before calling).
// Qt-free and torch-free (core_base).
#pragma once
#include <cstddef>
#include <vector>

#include "core/stats/bootstrap.h"

namespace iql::stats {

// 1-based ranks in ascending order of value; tied values share the average of the ranks they span
// ({10, 20, 20, 30} -> {1, 2.5, 2.5, 4}). NaN values are not allowed (std::invalid_argument).
std::vector<double> average_ranks(const std::vector<double>& values);

// Spearman's rho: the Pearson correlation of the average ranks (scipy.stats.spearmanr's definition,
// so ties are handled exactly rather than by the 1 - 6 sum d^2 / (n (n^2 - 1)) shortcut). NaN when
// fewer than 2 values or when either side is constant (no ordering to correlate).
// std::invalid_argument when the sizes differ.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// regret@k = max(truth) - E[max truth among the k members chosen by the estimate].
// The choice is the k highest estimates; where a tie in the estimate straddles the k-th place, the
// members of that tie that still fit are drawn uniformly at random among it, and the expectation over
// that draw is taken exactly (neither the optimistic nor the pessimistic tie-break). So a constant
// estimate scores the expected regret of picking k members at random. k >= n gives 0.
// std::invalid_argument for k == 0, different sizes or no members.
double regret_at_k(const std::vector<double>& estimate, const std::vector<double>& truth, std::size_t k);

// The same statistics with percentile intervals from index_bootstrap over members (each resample
// draws n members with replacement, keeping estimate and truth paired). A resample in which one side
// is constant has no Spearman correlation: such resamples are dropped (counted in
// spearman_dropped_resamples) instead of turning the interval into NaN; the interval is NaN only when
// every resample is dropped.
struct SelectionStats {
  std::size_t members = 0;
  Interval spearman;
  std::size_t spearman_dropped_resamples = 0;
  Interval regret_at_1, regret_at_3;
};
SelectionStats selection_stats(const std::vector<double>& estimate, const std::vector<double>& truth,
                               const BootstrapSettings& settings = {});
Interval regret_interval(const std::vector<double>& estimate, const std::vector<double>& truth, std::size_t k,
                         const BootstrapSettings& settings = {});

}  // namespace iql::stats
