// iql runs stats | final-eval: thin wrappers over core/stats/aggregate_report.h and
// core/train/final_evaluation.h.
#include "app/cli/cmd_runs_stats.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "core/stats/aggregate_report.h"
#include "core/store/run_store.h"
#include "core/train/final_evaluation.h"
#include "core/util/errors.h"

namespace iql::cli {

int cmd_runs_stats(const ArgList& argv) {
  Args a("runs stats",
         "--db FILE[,FILE...] [--group-by algorithm|config] [--eval last|best|final] [--resamples N] [--seed S] [--json]",
         "Aggregate statistics over runs and datasets (Agarwal et al. 2021, rliable): per group the mean, median,\n"
         "interquartile mean (IQM) and optimality gap of normalised scores, each with a 95% stratified-bootstrap\n"
         "interval (runs resampled within each dataset), the probability of improvement of every pair of groups,\n"
         "and the performance profile; --json adds the whole profile and IQM learning curves. Runs of several\n"
         "stores are pooled. See docs/statistics.md.",
         {{"db", "FILE", "run stores, comma-separated (default: the XDG one)", ""},
          {"group-by", "KEY", "algorithm, or config (the run's settings without seed and dataset)", "algorithm"},
          {"eval", "WHICH", "the score of a run: last or best in-training evaluation, or final (iql runs final-eval)",
           "last"},
          {"resamples", "N", "bootstrap resamples", "2000"},
          {"seed", "S", "bootstrap seed", "0"},
          {"confidence", "C", "interval coverage in (0, 1)", "0.95"},
          {"json", "", "machine-readable output with profiles and curves", ""}});
  if (!a.parse(argv)) return 0;
  const auto group_by = stats::parse_group_by(a.str("group-by"));
  const auto eval = stats::parse_eval_choice(a.str("eval"));
  const long long resamples = a.integer("resamples");
  if (resamples < 1 || resamples > 1000000) throw ConfigError("--resamples expects an integer in 1..1000000");
  if (a.integer("seed") < 0) throw ConfigError("--seed expects an integer >= 0");
  const double confidence = a.num("confidence");
  if (!(confidence > 0.0 && confidence < 1.0)) throw ConfigError("--confidence expects a number in (0, 1)");
  std::vector<std::string> dbs = split_comma_list(a.str("db"));
  if (dbs.empty()) dbs.push_back(RunStore::default_path());
  const auto set = stats::load_run_scores(dbs, group_by, eval);
  const stats::BootstrapSettings bootstrap{static_cast<int>(resamples), static_cast<std::uint64_t>(a.integer("seed")),
                                           confidence};
  const auto report = stats::aggregate_report(set, bootstrap);
  std::printf("%s\n", a.flag("json") ? stats::aggregate_report_json(report).c_str()
                                     : stats::aggregate_report_table(report).c_str());
  return 0;
}

int cmd_runs_final_eval(const ArgList& argv) {
  Args a("runs final-eval", "RUN|POPULATION|SWEEP --db FILE [--episodes N] [--seed S] [--json]",
         "Final evaluation: plays the last checkpoint of a run, of every member of a population or of every run\n"
         "of a sweep for N episodes (seeded S, S+1, ...: the same episodes for every run) and stores each result\n"
         "with its episode count, seed and every return, for iql runs stats --eval final.",
         {{"db", "FILE", "run store (default: the XDG one)", ""},
          {"episodes", "N", "episodes per run", "100"},
          {"seed", "S", "first episode seed", "0"},
          {"json", "", "machine-readable output", ""}},
         {"RUN|POPULATION|SWEEP"});
  if (!a.parse(argv)) return 0;
  if (a.positional().empty())
    throw ConfigError("iql runs final-eval: missing RUN|POPULATION|SWEEP (a run id, population id or sweep id)");
  const long long episodes = a.integer("episodes");
  if (episodes < 1 || episodes > 1000000) throw ConfigError("--episodes expects a positive integer");
  if (a.integer("seed") < 0) throw ConfigError("--seed expects an integer >= 0");
  const std::string db = a.str("db").empty() ? RunStore::default_path() : a.str("db");
  const FinalEvaluationSettings settings{static_cast<int>(episodes), static_cast<std::uint64_t>(a.integer("seed"))};
  const bool json = a.flag("json");
  int evaluated = 0;
  const auto outcomes = run_final_evaluations(db, a.positional()[0], settings, [&](const FinalEvaluationOutcome& o) {
    if (json) return;
    if (!o.skipped.empty()) {
      std::printf("run %lld: skipped (%s)\n", static_cast<long long>(o.run.id), o.skipped.c_str());
      return;
    }
    ++evaluated;
    std::printf("run %lld (%s, %s, seed %lld): step %lld, return %.1f +- %.1f over %d episodes", static_cast<long long>(o.run.id),
                o.run.algorithm.c_str(), o.run.dataset.c_str(), static_cast<long long>(o.run.seed),
                static_cast<long long>(o.record.step), o.record.return_mean, o.record.return_std, o.record.episodes);
    if (o.record.normalized_score) std::printf(", normalised %.1f", *o.record.normalized_score);
    std::printf("  (%.1f s)\n", o.seconds);
    std::fflush(stdout);
  });
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& o : outcomes) {
      nlohmann::json r{{"run_id", o.run.id}, {"algorithm", o.run.algorithm}, {"dataset", o.run.dataset}, {"seed", o.run.seed}};
      if (!o.skipped.empty()) {
        r["skipped"] = o.skipped;
      } else {
        ++evaluated;
        r.update({{"checkpoint", o.checkpoint},
                  {"step", o.record.step},
                  {"episodes", o.record.episodes},
                  {"episode_seed", o.record.seed},
                  {"return_mean", o.record.return_mean},
                  {"return_std", o.record.return_std},
                  {"returns", o.record.returns},
                  {"seconds", o.seconds}});
        if (o.record.normalized_score) r["normalized_score"] = *o.record.normalized_score;
      }
      j.push_back(r);
    }
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%d of %zu run%s evaluated over %d episodes (seeds %lld..%lld), stored in %s\n", evaluated,
                outcomes.size(), outcomes.size() == 1 ? "" : "s", settings.episodes, static_cast<long long>(settings.seed),
                static_cast<long long>(settings.seed) + settings.episodes - 1, db.c_str());
  }
  return evaluated > 0 ? 0 : 1;
}

}  // namespace iql::cli
