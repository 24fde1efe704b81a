#include "core/stats/summary_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace iql::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool any_nan(const std::vector<double>& v) {
  return std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
}

template <typename T>
double mean_of(const std::vector<T>& values) {
  if (values.empty()) return kNaN;
  double sum = 0.0;
  for (T x : values) sum += x;
  return sum / static_cast<double>(values.size());
}
}  // namespace

double mean(const std::vector<double>& values) { return mean_of(values); }
double mean(const std::vector<float>& values) { return mean_of(values); }

double std_dev(const std::vector<double>& values, StdConvention convention) {
  const std::size_t n = values.size();
  if (n == 0) return kNaN;
  const double m = mean(values);
  if (std::isnan(m)) return kNaN;
  if (convention == StdConvention::Sample && n == 1) return 0.0;
  double sq = 0.0;
  for (double x : values) sq += (x - m) * (x - m);
  const double denominator = convention == StdConvention::Sample ? static_cast<double>(n - 1) : static_cast<double>(n);
  return std::sqrt(sq / denominator);
}

Summary summarize(const std::vector<double>& values, StdConvention convention) {
  Summary s;
  s.count = values.size();
  s.convention = convention;
  s.mean = mean(values);
  s.std = std_dev(values, convention);
  if (values.empty() || any_nan(values)) {
    s.min = s.max = kNaN;
  } else {
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    s.min = *mn;
    s.max = *mx;
  }
  return s;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty() || std::isnan(q) || any_nan(sorted)) return kNaN;
  q = std::clamp(q, 0.0, 1.0);
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double quantile(std::vector<double> values, double q) {
  if (any_nan(values)) return kNaN;  // sorting with NaN is not a strict weak order
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, q);
}

double median(std::vector<double> values) { return quantile(std::move(values), 0.5); }

}  // namespace iql::stats
