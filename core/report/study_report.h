// The study report (issue 21): one PDF that says what a set of runs shows, for `iql runs report` and
// the Runs tab's "Study report...". Pages, in order (A4 landscape):
//   1. the run set: every run with its store, configuration, seed, steps, status and chosen score, and
//      the config fields that set the runs apart (continued on further pages when long);
//   2. learning curves: per dataset, each group's mean normalised score over seeds with a +-1 sample
//      std band, and each group's IQM over all its runs with its 95% stratified-bootstrap band;
//   3. aggregate statistics: mean, median, IQM and optimality gap per group with 95% intervals, as a
//      table and as interval plots (core/stats/aggregate_metrics.h);
//   4. performance profiles (fraction of runs above each score, with bands) and the probability of
//      improvement of each group over each other one (with intervals);
//   5. the tau x beta heat map, per dataset whose runs form such a grid (core/report/tau_beta_grid.h);
//   6. offline selection, where runs have OPE estimates: estimate against the chosen true score per
//      method, with Spearman's rho and regret@1/@3 and their intervals (core/stats/selection_stats.h).
// Pages whose data is missing are left out (say, no grid or no estimates). Every page's footer names the
// runs it draws on and the exact command that made the report. Qt-free and torch-free.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/report/study_data.h"
#include "core/stats/bootstrap.h"

namespace iql::report {

struct StudyReportOptions {
  std::vector<std::string> stores;
  stats::GroupBy group_by = stats::GroupBy::Algorithm;
  stats::EvalChoice eval = stats::EvalChoice::Last;
  stats::BootstrapSettings bootstrap;
  std::string command;  // printed in every page's footer: how to make this report again
};

struct StudyReportResult {
  int pages = 0;
  std::vector<std::string> page_titles;
  std::vector<std::string> page_runs;  // each page's run id list as its footer prints it
};

// Builds the report and writes it to out_path. Throws ConfigError (no such store, no runs, unwritable
// file).
StudyReportResult write_study_report(const StudyReportOptions& options, const std::string& out_path);

// The command line that makes the same report: "iql runs report --db A.db,B.db --group-by config
// --eval last --out study.pdf" (--resamples and --seed where they differ from the defaults).
std::string study_report_command(const StudyReportOptions& options, const std::string& out_path);

}  // namespace iql::report
