// The one home of the plain statistics every table and view reports: mean, standard deviation with
// an explicit convention, a count/mean/std/min/max summary, quantiles and the median. Two tables put
// side by side must agree on "std", so no caller computes one by hand; each names its convention.
// Qt-free and torch-free (core_base), so the CLI, the GUI and the tests share the very same numbers.
#pragma once
#include <cstddef>
#include <vector>

namespace iql::stats {

// Which denominator a standard deviation divides the sum of squared deviations by.
//  - Sample (n - 1, numpy ddof=1): the values are a sample of something larger, above all the seeds
//    of one configuration. Every "mean +- std over seeds" table (score curves, benchmark suite,
//    compare view bands) uses it, so one table can be read against another.
//  - Population (n, numpy ddof=0): the values are the whole thing being described, e.g. every
//    episode return of one dataset (the inspector) or the episodes of one evaluation, as D4RL and
//    gym report them.
enum class StdConvention { Population, Sample };

// NaN for no values. NaN among the values propagates. Sums in double either way.
double mean(const std::vector<double>& values);
double mean(const std::vector<float>& values);  // e.g. a dataset's rewards, without a copy

// NaN for no values. With the Sample convention a single value has no spread to estimate and gives
// 0 (numpy gives nan): tables print n beside it, so "+- 0.0 (n=1)" reads right. Two-pass (the mean
// first), so large offsets do not cancel the digits of a small spread.
double std_dev(const std::vector<double>& values, StdConvention convention);

struct Summary {
  std::size_t count = 0;
  double mean = 0.0, std = 0.0, min = 0.0, max = 0.0;  // all NaN when count == 0
  StdConvention convention = StdConvention::Sample;
};
Summary summarize(const std::vector<double>& values, StdConvention convention);

// The q-quantile (q clamped to [0, 1]) by linear interpolation between order statistics: numpy's
// default (method="linear", R's type 7): position q * (n - 1) in the sorted values. One value is
// every quantile of itself; no values, or a NaN among them, give NaN.
double quantile(std::vector<double> values, double q);
// The same on values the caller has already sorted ascending (several quantiles, one sort).
double quantile_sorted(const std::vector<double>& sorted, double q);
// quantile(values, 0.5): the mean of the two middle values for an even count.
double median(std::vector<double> values);

}  // namespace iql::stats
