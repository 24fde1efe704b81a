// Stored runs as the input of the aggregate statistics (core/stats/aggregate_metrics.h): one normalised
// score per run, grouped by algorithm or by configuration, with the datasets as tasks. Which evaluation
// a score comes from is always chosen and carried along, since it changes what a figure means:
//   last  - the run's last in-training evaluation (few episodes, e.g. 10);
//   best  - its best in-training evaluation (biased upwards: it picks the luckiest evaluation);
//   final - its latest final evaluation (iql runs final-eval: the last checkpoint over many episodes).
// The in-training evaluations also give each group's IQM learning curve, step by step. Runs of several
// stores are pooled (e.g. IQL trained into one store, BC into another). Qt-free and torch-free.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/stats/aggregate_metrics.h"

namespace iql::stats {

enum class EvalChoice { Last, Best, Final };
enum class GroupBy { Algorithm, Config };
// "last" | "best" | "final", "algorithm" | "config"; ConfigError naming the choices otherwise.
EvalChoice parse_eval_choice(const std::string& text);
GroupBy parse_group_by(const std::string& text);
std::string eval_choice_name(EvalChoice e);
std::string group_by_name(GroupBy g);
// One line that says what a score is, for every header: "final evaluation (last checkpoint, ...)".
std::string eval_choice_description(EvalChoice e);

// One run's score as chosen.
struct RunScore {
  std::string db;
  std::int64_t run_id = 0;
  std::int64_t seed = 0;
  std::string task;     // the dataset's name (a file's stem): runs of one dataset in any store share it
  double score = 0.0;   // normalised, 0 = random, 100 = expert
  std::int64_t step = 0;  // of the evaluation or checkpoint the score comes from
  int episodes = 0;       // that evaluation's episodes
};

struct ScoreGroup {
  std::string label;  // "iql", or "iql expectile=0.9 temperature=10" (settings that differ across groups)
  std::string key;    // what runs of the group share: the algorithm, or the config without seed and task
  // scores[t][r]: the chosen score of run r on task t of RunScoreSet::tasks (empty where the group has
  // no run on that task); runs[t][r] says where each came from.
  TaskScores scores;
  std::vector<std::vector<RunScore>> runs;
  // normalised scores of in-training evaluations, per step (for IQM curves), tasks as above
  std::vector<StepScores> curve;
  std::size_t run_count() const;
};

struct RunScoreSet {
  EvalChoice eval = EvalChoice::Last;
  GroupBy group_by = GroupBy::Algorithm;
  std::vector<std::string> dbs;
  std::vector<std::string> tasks;  // sorted
  std::vector<ScoreGroup> groups;  // in order of first appearance
  // runs left out, each "DB run ID (algorithm, dataset): no final evaluation with a normalised score"
  std::vector<std::string> left_out;
};

// Reads every run of every store (read-only). A run mid-run tuned (core/store/hyperparameter_history.h)
// forms a group of its own under --group-by config. Throws ConfigError for a store that does not exist
// and, when no run has the chosen score, one that lists the runs left out and why.
RunScoreSet load_run_scores(const std::vector<std::string>& db_paths, GroupBy group_by, EvalChoice eval);

}  // namespace iql::stats
