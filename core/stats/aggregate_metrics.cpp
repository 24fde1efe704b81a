#include "core/stats/aggregate_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/stats/summary_stats.h"

namespace iql::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> flatten(const TaskScores& scores) {
  std::vector<double> out;
  for (const auto& task : scores) out.insert(out.end(), task.begin(), task.end());
  return out;
}

std::vector<double> task_means(const TaskScores& scores) {
  std::vector<double> out;
  for (const auto& task : scores)
    if (!task.empty()) out.push_back(mean(task));
  return out;
}
}  // namespace

double aggregate_mean(const TaskScores& scores) { return mean(task_means(scores)); }

double aggregate_median(const TaskScores& scores) { return median(task_means(scores)); }

double interquartile_mean(std::vector<double> values) {
  const std::size_t n = values.size();
  if (n == 0) return kNaN;
  if (std::any_of(values.begin(), values.end(), [](double x) { return std::isnan(x); })) return kNaN;
  std::sort(values.begin(), values.end());
  const std::size_t k = n / 4;  // floor(0.25 * n), as scipy's trim_mean cuts
  double sum = 0.0;
  for (std::size_t i = k; i < n - k; ++i) sum += values[i];
  return sum / static_cast<double>(n - 2 * k);
}

double aggregate_iqm(const TaskScores& scores) { return interquartile_mean(flatten(scores)); }

double optimality_gap(const TaskScores& scores, double gamma) {
  const std::vector<double> all = flatten(scores);
  if (all.empty()) return kNaN;
  double sum = 0.0;
  for (double x : all) sum += std::isnan(x) ? kNaN : std::max(gamma - x, 0.0);
  return sum / static_cast<double>(all.size());
}

double fraction_above(const TaskScores& scores, double tau) {
  const std::vector<double> all = flatten(scores);
  if (all.empty()) return kNaN;
  std::size_t above = 0;
  for (double x : all) above += x > tau ? 1 : 0;
  return static_cast<double>(above) / static_cast<double>(all.size());
}

double mann_whitney_probability(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) return kNaN;
  double u = 0.0;
  for (double a : x)
    for (double b : y) u += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
  return u / (static_cast<double>(x.size()) * static_cast<double>(y.size()));
}

double probability_of_improvement(const TaskScores& x, const TaskScores& y) {
  std::vector<double> per_task;
  for (std::size_t t = 0; t < std::min(x.size(), y.size()); ++t)
    if (!x[t].empty() && !y[t].empty()) per_task.push_back(mann_whitney_probability(x[t], y[t]));
  return mean(per_task);
}

AggregateIntervals aggregate_intervals(const TaskScores& scores, const BootstrapSettings& settings, double gamma) {
  const auto r = stratified_bootstrap_many(
      scores,
      [gamma](const TaskScores& s) {
        return std::vector<double>{aggregate_mean(s), aggregate_median(s), aggregate_iqm(s), optimality_gap(s, gamma)};
      },
      settings);
  return {r[0], r[1], r[2], r[3]};
}

std::vector<ProfilePoint> performance_profile(const TaskScores& scores, const std::vector<double>& taus,
                                              const BootstrapSettings& settings) {
  const auto r = stratified_bootstrap_many(
      scores,
      [&taus](const TaskScores& s) {
        std::vector<double> v;
        v.reserve(taus.size());
        for (double tau : taus) v.push_back(fraction_above(s, tau));
        return v;
      },
      settings);
  std::vector<ProfilePoint> out;
  for (std::size_t i = 0; i < taus.size(); ++i) out.push_back({taus[i], r[i]});
  return out;
}

std::vector<double> threshold_grid(double lo, double hi, int n) {
  if (n < 1) throw std::invalid_argument("threshold_grid: n must be >= 1");
  if (n == 1) return {lo};
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1));
  out.back() = hi;
  return out;
}

Interval probability_of_improvement_interval(const TaskScores& x, const TaskScores& y,
                                             const BootstrapSettings& settings) {
  // one stratified bootstrap over x's tasks followed by y's: each keeps to its own task and group
  TaskScores both = x;
  both.insert(both.end(), y.begin(), y.end());
  const std::size_t nx = x.size();
  return stratified_bootstrap(
      both,
      [nx](const TaskScores& s) {
        const TaskScores xs(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(nx));
        const TaskScores ys(s.begin() + static_cast<std::ptrdiff_t>(nx), s.end());
        return probability_of_improvement(xs, ys);
      },
      settings);
}

std::vector<CurvePoint> iqm_curve(const std::vector<StepScores>& steps, const BootstrapSettings& settings) {
  std::vector<CurvePoint> out;
  for (const auto& s : steps) {
    CurvePoint p;
    p.step = s.step;
    for (const auto& task : s.scores) p.runs += static_cast<int>(task.size());
    p.iqm = stratified_bootstrap(s.scores, aggregate_iqm, settings);
    out.push_back(p);
  }
  return out;
}

}  // namespace iql::stats
