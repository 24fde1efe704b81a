// What a study report is made of: the runs of one or more stores with their scores and groups as the
// aggregate statistics load them (core/stats/run_scores.h: one loader, so the report's groups and
// scores are iql runs stats'), plus what the other pages need per run: its configuration, final tau
// and beta, in-training evaluations and offline estimates. Read once, then every page draws from it.
// Qt-free and torch-free.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/stats/run_scores.h"
#include "core/store/run_store.h"

namespace iql::report {

struct StudyRun {
  std::size_t store = 0;  // index into StudyData::stores
  RunInfo info;
  std::vector<EvaluationRecord> evaluations;     // those with a normalised score, by step
  std::optional<double> score;                   // of the chosen evaluation; none: left out of statistics
  std::vector<OpeEstimateRecord> ope;            // offline estimates, by step then method
  double tau = 0.0, beta = 0.0;  // final expectile and temperature (NaN where the config has none)
  bool tuned = false;            // tuned mid-run (core/store/hyperparameter_history.h)
  std::string group;                             // the group's label; empty without a score
};

struct StudyGroup {
  std::string label;
  std::vector<std::size_t> runs;  // indices into StudyData::runs
};

struct StudyData {
  std::vector<std::string> stores;  // paths as given
  stats::RunScoreSet scores;        // groups, tasks and chosen scores (runs without one left out)
  std::vector<StudyRun> runs;       // store by store, oldest first
  std::vector<StudyGroup> groups;   // as scores.groups
  std::vector<std::string> datasets;  // sorted
};

// Reads every run of the stores. Throws ConfigError for a store that does not exist, or when no run
// has the chosen score (stats::load_run_scores).
StudyData load_study(const std::vector<std::string>& stores, stats::GroupBy group_by, stats::EvalChoice eval);

// "#3" with one store, "A.db #3" with several: how pages name a run.
std::string run_tag(const StudyData& d, const StudyRun& r);
// The ids of these runs as pages print them: "#1 #2 #5", or per store "A.db #1 #2 · B.db #1".
std::string run_id_list(const StudyData& d, const std::vector<std::size_t>& runs);

// The config fields (top-level JSON keys, seed and thread count left out) whose values differ among
// the runs, sorted; and one run's values of them as "expectile=0.7 temperature=3".
std::vector<std::string> differing_config_keys(const StudyData& d);
std::string config_summary(const RunInfo& r, const std::vector<std::string>& keys);

}  // namespace iql::report
