#include "core/store/score_curves.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/stats/summary_stats.h"
#include "core/store/hyperparameter_history.h"
#include "core/store/run_store.h"
#include "core/config/train_settings.h"
#include "core/util/errors.h"
#include "core/util/json_value_text.h"

namespace iql {

namespace {
using nlohmann::json;

// Fields shown in a label when they differ between groups; BC has no value function or temperature.
const std::vector<std::string> kShown = {"expectile", "temperature", "discount", "polyak",    "actor_lr",  "value_lr",
                                         "critic_lr", "dropout",     "max_weight", "hidden",  "batch_size", "steps",
                                         "reward_mode", "policy"};
bool shown_for(const std::string& algorithm, const std::string& key) {
  if (algorithm != "bc") return true;
  return key != "expectile" && key != "temperature" && key != "value_lr" && key != "critic_lr";
}

json config_object(const std::string& config_json) {
  json cfg = json::parse(config_json, nullptr, false);
  return cfg.is_object() ? cfg : json::object();
}

struct Group {
  std::string db, algorithm, dataset, key;
  bool tuned = false;  // hyperparameters changed mid-run: a group of its own run
  json config;  // the first run's, for the label
  std::vector<RunInfo> runs;
  std::vector<std::vector<EvaluationRecord>> evals;
};
}  // namespace

std::string seed_free_config_key(const std::string& config_json) {
  json cfg = config_object(config_json);
  // the settings that do not tell experiments apart (seed, threads: train_settings.h), and a run name if
  // a config carries one
  for (const auto& k : ungrouped_setting_keys()) cfg.erase(k);
  cfg.erase("name");
  return cfg.dump();
}

std::vector<ScoreCurve> score_curves(const std::vector<std::string>& db_paths) {
  std::vector<Group> groups;
  for (const auto& db : db_paths) {
    if (!std::filesystem::exists(db)) throw ConfigError("run store '" + db + "' does not exist");
    RunStore store(db, RunStore::Mode::read_only);
    auto runs = store.list_runs();
    std::reverse(runs.begin(), runs.end());  // oldest first: seeds in the order they ran
    for (const auto& r : runs) {
      auto evals = store.evaluations(r.id);
      evals.erase(std::remove_if(evals.begin(), evals.end(), [](const EvaluationRecord& e) { return !e.normalized_score; }),
                  evals.end());
      if (evals.empty()) continue;
      const std::string key = seed_free_config_key(r.config_json);
      const bool tuned = tuned_mid_run(r.config_json, store.events(r.id));
      auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
        return !tuned && !g.tuned && g.db == db && g.algorithm == r.algorithm && g.dataset == r.dataset && g.key == key;
      });
      if (it == groups.end()) {
        groups.push_back({db, r.algorithm, r.dataset, key, tuned, config_object(r.config_json), {}, {}});
        it = groups.end() - 1;
      }
      it->runs.push_back(r);
      it->evals.push_back(std::move(evals));
    }
  }
  // label: what every group has, plus the shown fields whose values differ between groups
  std::vector<std::string> differing;
  for (const auto& key : kShown)
    for (const auto& g : groups)
      if (g.config.value(key, json()) != groups.front().config.value(key, json())) {
        differing.push_back(key);
        break;
      }
  std::vector<ScoreCurve> out;
  for (const auto& g : groups) {
    ScoreCurve c;
    std::ostringstream label;
    label << g.algorithm << " " << std::filesystem::path(g.dataset).stem().string();
    for (const auto& key : differing)
      if (shown_for(g.algorithm, key) && g.config.contains(key)) label << " " << key << "=" << json_value_text(g.config[key]);
    if (g.tuned) label << " (tuned mid-run, run " << g.runs.front().id << ")";
    c.label = label.str();
    c.db_path = g.db;
    std::map<int64_t, std::vector<double>> by_step;
    for (size_t k = 0; k < g.runs.size(); ++k) {
      c.run_ids.push_back(g.runs[k].id);
      c.seeds.push_back(g.runs[k].seed);
      std::map<int64_t, double> last_at;  // a step evaluated twice (a stop, then a resume) counts once
      for (const auto& e : g.evals[k]) last_at[e.step] = *e.normalized_score;
      for (const auto& [step, s] : last_at) by_step[step].push_back(s);
    }
    for (const auto& [step, scores] : by_step) {
      ScorePoint p;
      p.step = step;
      p.scores = scores;
      p.n = static_cast<int>(scores.size());
      p.mean = stats::mean(scores);
      p.std = stats::std_dev(scores, stats::StdConvention::Sample);  // seeds: as every other table
      c.points.push_back(p);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string score_curves_table(const std::vector<ScoreCurve>& curves) {
  std::ostringstream os;
  char buf[256];
  for (const auto& c : curves) {
    os << c.label << "  (" << c.run_ids.size() << " run" << (c.run_ids.size() == 1 ? "" : "s") << ", seeds";
    for (auto s : c.seeds) os << " " << s;
    os << "; " << c.db_path << ")\n";
    for (const auto& p : c.points) {
      std::snprintf(buf, sizeof buf, "  step %9lld   %6.1f +- %5.1f  (n=%d:", static_cast<long long>(p.step), p.mean, p.std,
                    p.n);
      os << buf;
      for (double s : p.scores) {
        std::snprintf(buf, sizeof buf, " %.1f", s);
        os << buf;
      }
      os << ")\n";
    }
  }
  return os.str();
}

std::string score_curves_json(const std::vector<ScoreCurve>& curves) {
  json j = json::array();
  for (const auto& c : curves) {
    json pts = json::array();
    for (const auto& p : c.points)
      pts.push_back({{"step", p.step}, {"n", p.n}, {"mean", p.mean}, {"std", p.std}, {"scores", p.scores}});
    j.push_back({{"label", c.label}, {"db", c.db_path}, {"run_ids", c.run_ids}, {"seeds", c.seeds}, {"points", pts}});
  }
  return j.dump(2);
}

}  // namespace iql
