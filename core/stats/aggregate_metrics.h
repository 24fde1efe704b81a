// Aggregate performance over runs and tasks, as rliable defines it (Agarwal et al., NeurIPS 2021,
// "Deep RL at the Edge of the Statistical Precipice"; github.com/google-research/rliable, metrics.py),
// each with a stratified-bootstrap percentile interval (core/stats/bootstrap.h: runs resampled within
// each task). The data of one group (an algorithm, a configuration) is TaskScores: scores[task][run],
// a task being a dataset. Tasks may hold different numbers of runs; where rliable's formula flattens
// runs x tasks, a task then weighs by its run count (said per function). Scores are on the workbench's
// normalised scale, 0 = random and 100 = expert (D4RL's), hence optimality_gap's gamma = 100 where
// rliable's 0-1 scale has 1. Pure functions, Qt-free and torch-free (core_base).
#pragma once
#include <cstdint>
#include <vector>

#include "core/stats/bootstrap.h"

namespace iql::stats {

using TaskScores = std::vector<std::vector<double>>;  // [task][run]

// The score of an expert on the normalised scale: optimality gap's default gamma.
constexpr double kNormalizedOptimum = 100.0;

// Empty input (no task with a run) gives NaN for every aggregate below.

// rliable aggregate_mean: the mean over tasks of each task's mean over runs (tasks without runs skipped).
double aggregate_mean(const TaskScores& scores);
// rliable aggregate_median: the median over tasks of each task's mean over runs (so with one or two
// tasks it equals the mean; it describes tasks, not runs).
double aggregate_median(const TaskScores& scores);
// The interquartile mean of values: scipy.stats.trim_mean(values, 0.25): sort, cut
// k = floor(0.25 * n) values from each end, average the n - 2k left (n = 5: k = 1, the middle 3;
// n = 6: k = 1, the middle 4; n < 4: k = 0, the plain mean).
double interquartile_mean(std::vector<double> values);
// rliable aggregate_iqm: interquartile_mean of every run of every task, flattened.
double aggregate_iqm(const TaskScores& scores);
// rliable aggregate_optimality_gap: gamma - mean(min(x, gamma)) = mean(max(gamma - x, 0)) over every run
// of every task, flattened: how far below an expert the runs fall, scores above gamma counting as gamma.
double optimality_gap(const TaskScores& scores, double gamma = kNormalizedOptimum);
// A performance profile's point: the fraction of every run of every task (flattened) scoring strictly
// above tau (rliable's run-score distribution).
double fraction_above(const TaskScores& scores, double tau);

// P(X > Y) on one task: the Mann-Whitney U of x over y divided by |x| |y|, i.e. the fraction of pairs
// (x_i, y_j) with x_i > y_j, a tie counting one half. NaN when either side is empty.
double mann_whitney_probability(const std::vector<double>& x, const std::vector<double>& y);
// rliable probability_of_improvement: the mean over tasks of mann_whitney_probability(x[t], y[t]).
// x and y are indexed by the same tasks; a task that either side lacks (no runs) is skipped; NaN when
// no task is shared.
double probability_of_improvement(const TaskScores& x, const TaskScores& y);

// ---- with intervals (stratified bootstrap, runs resampled within each task) ----

struct AggregateIntervals {
  Interval mean, median, iqm, optimality_gap;
};
// The four aggregates on the same resamples. Throws std::invalid_argument on bad settings.
AggregateIntervals aggregate_intervals(const TaskScores& scores, const BootstrapSettings& settings,
                                       double gamma = kNormalizedOptimum);

struct ProfilePoint {
  double tau = 0.0;
  Interval fraction;  // of runs scoring above tau, with its band
};
std::vector<ProfilePoint> performance_profile(const TaskScores& scores, const std::vector<double>& taus,
                                              const BootstrapSettings& settings);
// n >= 2 thresholds evenly spaced from lo to hi inclusive (n = 1: {lo}).
std::vector<double> threshold_grid(double lo, double hi, int n);

// P(X > Y) with its interval: each resample draws x's runs within each task of x and y's within each of
// y, independently (rliable resamples both algorithms).
Interval probability_of_improvement_interval(const TaskScores& x, const TaskScores& y,
                                             const BootstrapSettings& settings);

// IQM learning curve: at each evaluation step, aggregate_iqm over the runs evaluated at that step,
// with its interval (each step bootstrapped on its own, with the same settings).
struct CurvePoint {
  std::int64_t step = 0;
  int runs = 0;  // run scores at this step, over all tasks
  Interval iqm;
};
struct StepScores {
  std::int64_t step = 0;
  TaskScores scores;
};
std::vector<CurvePoint> iqm_curve(const std::vector<StepScores>& steps, const BootstrapSettings& settings);

}  // namespace iql::stats
