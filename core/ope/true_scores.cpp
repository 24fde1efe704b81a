#include "core/ope/true_scores.h"

#include <algorithm>

#include "core/store/run_store.h"

namespace iql::ope {

std::string TrueScore::source() const {
  return std::string(final_evaluation ? "final evaluation" : "last evaluation") + ", " + std::to_string(episodes) +
         " episodes, step " + std::to_string(step);
}

std::optional<TrueScore> true_score(RunStore& store, int64_t run_id) {
  const auto finals = store.final_evaluations(run_id);
  if (!finals.empty()) {
    const auto best = std::max_element(finals.begin(), finals.end(), [](const auto& a, const auto& b) {
      return a.episodes != b.episodes ? a.episodes < b.episodes : a.step < b.step;
    });
    return TrueScore{best->return_mean, best->normalized_score, best->episodes, best->step, true};
  }
  const auto evals = store.evaluations(run_id);
  if (evals.empty()) return std::nullopt;
  const auto& e = evals.back();
  return TrueScore{e.return_mean, e.normalized_score, e.episodes, e.step, false};
}

std::vector<MethodSelection> selection_by_method(const OpeResult& result,
                                                 const std::vector<std::optional<TrueScore>>& truth,
                                                 const stats::BootstrapSettings& settings) {
  std::vector<std::string> methods;
  for (const auto& m : result.members)
    for (const auto& e : m.estimates)
      if (std::find(methods.begin(), methods.end(), e.method) == methods.end()) methods.push_back(e.method);
  bool all_normalized = true;
  for (const auto& t : truth)
    if (t && !t->normalized_score) all_normalized = false;
  std::vector<MethodSelection> out;
  for (const auto& method : methods) {
    std::vector<double> est, tru;
    for (size_t k = 0; k < result.members.size() && k < truth.size(); ++k) {
      const auto* e = result.members[k].find(method);
      if (!e || !truth[k]) continue;
      est.push_back(e->ranking_value());
      tru.push_back(all_normalized ? *truth[k]->normalized_score : truth[k]->return_mean);
    }
    if (est.size() < 2) continue;
    MethodSelection ms;
    ms.method = method;
    ms.members = est.size();
    ms.normalized = all_normalized;
    ms.stats = stats::selection_stats(est, tru, settings);
    out.push_back(std::move(ms));
  }
  return out;
}

}  // namespace iql::ope
