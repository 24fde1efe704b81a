#include "core/train/final_evaluation.h"

#include <filesystem>

#include "core/store/run_selection.h"
#include "core/train/checkpoint_eval.h"
#include "core/util/errors.h"

namespace iql {

std::vector<FinalEvaluationOutcome> run_final_evaluations(
    const std::string& db_path, const std::string& selector, const FinalEvaluationSettings& settings,
    const std::function<void(const FinalEvaluationOutcome&)>& on_done) {
  if (settings.episodes < 1)
    throw ConfigError("final evaluation: episodes must be a positive integer, got " + std::to_string(settings.episodes));
  if (!std::filesystem::exists(db_path)) throw ConfigError("run store '" + db_path + "' does not exist");
  RunStore store(db_path);
  const RunSelection sel = select_runs(store, selector);
  std::vector<FinalEvaluationOutcome> out;
  for (const auto& run : sel.runs) {
    FinalEvaluationOutcome o;
    o.run = run;
    const auto ckpt = store.latest_checkpoint(run.id);
    if (!ckpt) {
      o.skipped = "no checkpoint";
    } else if (!std::filesystem::exists(ckpt->path)) {
      o.skipped = "checkpoint " + ckpt->path + " is gone";
    } else {
      o.checkpoint = ckpt->path;
      const EvalResult r = evaluate_checkpoint(ckpt->path, "", "", settings.episodes, settings.seed);
      o.seconds = r.seconds;
      o.record.step = r.step;
      o.record.episodes = settings.episodes;
      o.record.seed = static_cast<std::int64_t>(settings.seed);
      o.record.return_mean = r.return_mean;
      o.record.return_std = r.return_std;
      o.record.normalized_score = r.normalized_score;
      o.record.returns = r.returns;
      store.add_final_evaluation(run.id, o.record);
    }
    if (on_done) on_done(o);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace iql
