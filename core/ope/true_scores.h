// The true score an offline estimate is judged against, and the selection statistics of every method
// over the members that have one. The truth is a final evaluation where one is stored (the one with
// the most episodes, latest step first; iql runs final-eval), else the run's last periodic evaluation;
// TrueScore::source says which, with its episode count. Scores are D4RL-normalised where every member
// has a normalised score, else returns. Torch-free.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ope/offline_evaluation.h"
#include "core/stats/selection_stats.h"

namespace iql {
class RunStore;
}

namespace iql::ope {

struct TrueScore {
  double return_mean = 0.0;
  std::optional<double> normalized_score;
  int episodes = 0;
  int64_t step = 0;
  bool final_evaluation = false;  // false: the last periodic evaluation
  std::string source() const;     // "final evaluation, 100 episodes, step 20000" / "last evaluation, ..."
};

std::optional<TrueScore> true_score(RunStore& store, int64_t run_id);

struct MethodSelection {
  std::string method;
  size_t members = 0;          // members with both this estimate and a true score
  bool normalized = false;     // truth (and regret) in normalised score, else in return
  stats::SelectionStats stats; // Spearman, regret@1, regret@3 with bootstrap intervals over members
};

// One entry per method present, for the members with a true score (truth[k] belongs to
// result.members[k]); methods with fewer than 2 such members are left out.
std::vector<MethodSelection> selection_by_method(const OpeResult& result,
                                                 const std::vector<std::optional<TrueScore>>& truth,
                                                 const stats::BootstrapSettings& settings = {});

}  // namespace iql::ope
