#include "core/stats/run_scores.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "core/config/train_settings.h"
#include "core/store/hyperparameter_history.h"
#include "core/store/run_store.h"
#include "core/store/score_curves.h"
#include "core/util/errors.h"
#include "core/util/json_value_text.h"

namespace iql::stats {

namespace {
using nlohmann::json;

// What names the task rather than the configuration: removed from the config before grouping by it.
const char* const kTaskKeys[] = {"dataset", "env", "physics"};

std::string task_name(const RunInfo& r) {
  const std::string& d = r.dataset.empty() ? r.env : r.dataset;
  return std::filesystem::path(d).stem().string();
}

struct Chosen {
  double score;
  std::int64_t step;
  int episodes;
};

std::optional<Chosen> chosen_score(RunStore& store, std::int64_t id, EvalChoice eval) {
  if (eval == EvalChoice::Final) {
    std::optional<Chosen> c;
    for (const auto& f : store.final_evaluations(id))  // by step, then created: the latest wins
      if (f.normalized_score) c = Chosen{*f.normalized_score, f.step, f.episodes};
    return c;
  }
  std::optional<Chosen> c;
  for (const auto& e : store.evaluations(id)) {  // by step
    if (!e.normalized_score) continue;
    if (eval == EvalChoice::Last || !c || *e.normalized_score > c->score) c = Chosen{*e.normalized_score, e.step, e.episodes};
  }
  return c;
}

struct Pending {
  std::string key;
  json config;  // without seed and task fields, for the label
  std::string algorithm;
  std::vector<RunScore> runs;
  std::vector<std::map<std::int64_t, double>> curves;  // per run: step -> score
};
}  // namespace

EvalChoice parse_eval_choice(const std::string& t) {
  if (t == "last") return EvalChoice::Last;
  if (t == "best") return EvalChoice::Best;
  if (t == "final") return EvalChoice::Final;
  throw ConfigError("--eval '" + t + "': expected last, best or final");
}

GroupBy parse_group_by(const std::string& t) {
  if (t == "algorithm") return GroupBy::Algorithm;
  if (t == "config") return GroupBy::Config;
  throw ConfigError("--group-by '" + t + "': expected algorithm or config");
}

std::string eval_choice_name(EvalChoice e) {
  return e == EvalChoice::Last ? "last" : e == EvalChoice::Best ? "best" : "final";
}

std::string group_by_name(GroupBy g) { return g == GroupBy::Algorithm ? "algorithm" : "config"; }

std::string eval_choice_description(EvalChoice e) {
  switch (e) {
    case EvalChoice::Last: return "last in-training evaluation of each run";
    case EvalChoice::Best: return "best in-training evaluation of each run (biased upwards: the luckiest of several)";
    case EvalChoice::Final: return "final evaluation of each run (its last checkpoint over many episodes: iql runs final-eval)";
  }
  return "";
}

std::size_t ScoreGroup::run_count() const {
  std::size_t n = 0;
  for (const auto& t : scores) n += t.size();
  return n;
}

RunScoreSet load_run_scores(const std::vector<std::string>& db_paths, GroupBy group_by, EvalChoice eval) {
  RunScoreSet set;
  set.eval = eval;
  set.group_by = group_by;
  set.dbs = db_paths;
  std::vector<Pending> pending;
  std::set<std::string> tasks;
  for (const auto& db : db_paths) {
    if (!std::filesystem::exists(db)) throw ConfigError("run store '" + db + "' does not exist");
    RunStore store(db, RunStore::Mode::read_only);
    auto runs = store.list_runs();
    std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) { return a.id < b.id; });
    for (const auto& r : runs) {
      const auto c = chosen_score(store, r.id, eval);
      if (!c) {
        set.left_out.push_back(db + " run " + std::to_string(r.id) + " (" + r.algorithm + ", " + task_name(r) + "): no " +
                               (eval == EvalChoice::Final ? "final evaluation" : "evaluation") + " with a normalised score");
        continue;
      }
      json cfg = json::parse(seed_free_config_key(r.config_json), nullptr, false);
      if (!cfg.is_object()) cfg = json::object();
      for (const char* k : kTaskKeys) cfg.erase(k);
      std::string key = r.algorithm;
      if (group_by == GroupBy::Config) {
        key += " " + cfg.dump();
        if (tuned_mid_run(r.config_json, store.events(r.id))) key += " tuned-run " + db + ":" + std::to_string(r.id);
      }
      auto it = std::find_if(pending.begin(), pending.end(), [&](const Pending& p) { return p.key == key; });
      if (it == pending.end()) {
        pending.push_back({key, cfg, r.algorithm, {}, {}});
        it = pending.end() - 1;
      }
      RunScore s{db, r.id, r.seed, task_name(r), c->score, c->step, c->episodes};
      tasks.insert(s.task);
      it->runs.push_back(s);
      std::map<std::int64_t, double> curve;  // a step evaluated twice (stop, resume) counts once
      for (const auto& e : store.evaluations(r.id))
        if (e.normalized_score) curve[e.step] = *e.normalized_score;
      it->curves.push_back(std::move(curve));
    }
  }
  if (pending.empty()) {
    std::ostringstream os;
    os << "no run has a normalised score from its " << eval_choice_name(eval) << " evaluation in";
    for (const auto& db : db_paths) os << " " << db;
    if (set.left_out.empty()) os << " (the stores hold no runs)";
    for (const auto& l : set.left_out) os << "\n  " << l;
    if (eval == EvalChoice::Final) os << "\n(run iql runs final-eval first, or choose --eval last)";
    throw ConfigError(os.str());
  }
  set.tasks.assign(tasks.begin(), tasks.end());
  auto task_index = [&](const std::string& t) {
    return static_cast<std::size_t>(std::lower_bound(set.tasks.begin(), set.tasks.end(), t) - set.tasks.begin());
  };
  // a config group's label: its algorithm and the settings whose values differ between groups
  std::vector<std::string> differing;
  if (group_by == GroupBy::Config)
    for (const auto& p : pending)
      for (const auto& [k, v] : p.config.items())
        for (const auto& q : pending)
          if (k != "algorithm")  // already the label's first word
            if (q.config.value(k, json()) != v && std::find(differing.begin(), differing.end(), k) == differing.end())
              differing.push_back(k);
  for (auto& p : pending) {
    ScoreGroup g;
    g.key = p.key;
    std::ostringstream label;
    label << p.algorithm;
    for (const auto& k : differing)
      if (p.config.contains(k)) label << " " << short_name(k) << "=" << json_value_text(p.config[k]);
    if (p.key.find(" tuned-run ") != std::string::npos) label << " (tuned mid-run, run " << p.runs.front().run_id << ")";
    g.label = label.str();
    g.scores.assign(set.tasks.size(), {});
    g.runs.assign(set.tasks.size(), {});
    std::map<std::int64_t, TaskScores> by_step;
    for (std::size_t k = 0; k < p.runs.size(); ++k) {
      const std::size_t t = task_index(p.runs[k].task);
      g.scores[t].push_back(p.runs[k].score);
      g.runs[t].push_back(p.runs[k]);
      for (const auto& [step, score] : p.curves[k]) {
        auto& at = by_step[step];
        if (at.empty()) at.assign(set.tasks.size(), {});
        at[t].push_back(score);
      }
    }
    for (auto& [step, scores] : by_step) g.curve.push_back({step, std::move(scores)});
    set.groups.push_back(std::move(g));
  }
  return set;
}

}  // namespace iql::stats
