// The compare view's aggregate statistics, computed off the GUI thread: core's loader
// (core/stats/run_scores.h: scores of the chosen evaluation, groups by algorithm or configuration,
// datasets as tasks, in-training curves) over the compare view's store, narrowed to the compared runs,
// then core's report (core/stats/aggregate_report.h: every statistic with its interval). Nothing here
// computes a statistic. The loader opens its own read-only connection, so the whole request runs on a
// worker thread.
#pragma once
#include <QList>
#include <QString>
#include <set>
#include <string>

#include "core/stats/aggregate_report.h"
#include "core/stats/run_scores.h"

namespace iql {
class RunStore;
}

namespace iqlui {

struct StatsRequest {
  std::string db;
  QList<qint64> runIds;
  iql::stats::GroupBy groupBy = iql::stats::GroupBy::Algorithm;
  iql::stats::EvalChoice eval = iql::stats::EvalChoice::Last;
  iql::stats::BootstrapSettings bootstrap;
};

struct StatsOutcome {
  StatsRequest request;
  iql::stats::RunScoreSet set;        // the compared runs only
  iql::stats::AggregateReport report;  // of set
  int leftOut = 0;                    // compared runs without the chosen score
  int finalEpisodesMin = 0, finalEpisodesMax = 0;  // of the scores used
  QString error;                      // why there is nothing to show (empty when there is)
  double milliseconds = 0.0;
  int runs() const;
};

// Keeps only the runs in `ids`: their scores, and each group's curve rebuilt from their evaluations
// (read from `store`) where the group lost runs; drops groups and tasks left empty.
iql::stats::RunScoreSet restrictToRuns(iql::stats::RunScoreSet set, const std::set<std::int64_t>& ids,
                                       iql::RunStore& store);

// Safe on any thread: opens the store read-only itself.
StatsOutcome computeAggregateStats(const StatsRequest& request);

}  // namespace iqlui
