// The aggregate statistics of a set of stored runs, ready to print or draw: per group the mean, median,
// IQM and optimality gap with stratified-bootstrap intervals (core/stats/aggregate_metrics.h), mean and
// std over runs, a per-task breakdown, the performance profile and the IQM learning curve with bands,
// and the probability of improvement for every ordered pair of groups. `iql runs stats` prints it (table
// or JSON), the study report (core/report) and the compare view draw it. Qt-free and torch-free.
#pragma once
#include <string>
#include <vector>

#include "core/stats/aggregate_metrics.h"
#include "core/stats/run_scores.h"
#include "core/stats/summary_stats.h"

namespace iql::stats {

struct TaskStatistics {
  std::string task;
  Summary runs;  // count, mean, std (Sample convention, n - 1), min, max of the chosen scores
  Interval iqm;  // the task's runs alone
};

struct GroupStatistics {
  std::string label;
  std::size_t runs = 0, tasks = 0;  // runs with a score; tasks with at least one run
  Summary over_runs;                // of every run's score, flattened (Sample std): the usual "mean +- std"
  AggregateIntervals aggregates;    // rliable's four, with intervals
  std::vector<TaskStatistics> per_task;  // tasks the group has runs on
  std::vector<ProfilePoint> profile;     // at AggregateReport::profile_taus
  std::vector<CurvePoint> iqm_curve;     // in-training evaluations, step by step
};

struct Improvement {
  std::size_t x = 0, y = 0;  // group indices: P(x > y)
  std::size_t shared_tasks = 0;
  Interval probability;
};

struct AggregateReport {
  EvalChoice eval = EvalChoice::Last;
  GroupBy group_by = GroupBy::Algorithm;
  BootstrapSettings bootstrap;
  double gamma = kNormalizedOptimum;
  std::vector<std::string> dbs, tasks;
  std::vector<double> profile_taus;
  std::vector<GroupStatistics> groups;
  std::vector<Improvement> improvements;  // every ordered pair x != y
  std::vector<std::string> left_out;      // runs without the chosen score, and why
};

// The profile's default grid: 0, 5, ..., 100 on the normalised scale.
std::vector<double> default_profile_taus();

// Throws std::invalid_argument on bad bootstrap settings.
AggregateReport aggregate_report(const RunScoreSet& set, const BootstrapSettings& bootstrap,
                                 const std::vector<double>& profile_taus = default_profile_taus(),
                                 double gamma = kNormalizedOptimum);

// A plain-text table: a header stating the evaluation, resamples, seed and confidence; per group n runs
// and tasks, mean +- std, then mean, median, IQM and optimality gap each with its interval, and a line
// per task; the probability of improvement of every pair; the profile at 25, 50, 75 and 100.
std::string aggregate_report_table(const AggregateReport& report);
// Everything, profiles and curves included, for scripts (NaN written as null).
std::string aggregate_report_json(const AggregateReport& report);

}  // namespace iql::stats
