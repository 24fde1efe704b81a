#include "core/report/study_data.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/config/train_settings.h"
#include "core/store/hyperparameter_history.h"
#include "core/util/errors.h"
#include "core/util/json_value_text.h"

namespace iql::report {

namespace {
using nlohmann::json;

json config_object(const std::string& config_json) {
  json cfg = json::parse(config_json, nullptr, false);
  if (!cfg.is_object()) return json::object();
  for (const auto& k : ungrouped_setting_keys()) cfg.erase(k);
  cfg.erase("name");
  return cfg;
}

}  // namespace

StudyData load_study(const std::vector<std::string>& stores, stats::GroupBy group_by, stats::EvalChoice eval) {
  StudyData d;
  d.stores = stores;
  d.scores = stats::load_run_scores(stores, group_by, eval);
  // (store, run id) -> (group, score), from the loader
  std::map<std::pair<std::string, std::int64_t>, std::pair<std::size_t, double>> scored;
  for (std::size_t g = 0; g < d.scores.groups.size(); ++g)
    for (const auto& task : d.scores.groups[g].runs)
      for (const auto& rs : task) scored[{rs.db, rs.run_id}] = {g, rs.score};
  d.groups.resize(d.scores.groups.size());
  for (std::size_t g = 0; g < d.groups.size(); ++g) d.groups[g].label = d.scores.groups[g].label;
  std::set<std::string> datasets;
  for (std::size_t s = 0; s < stores.size(); ++s) {
    RunStore store(stores[s], RunStore::Mode::read_only);
    auto runs = store.list_runs();
    std::reverse(runs.begin(), runs.end());  // oldest first
    for (auto& info : runs) {
      StudyRun r;
      r.store = s;
      r.evaluations = store.evaluations(info.id);
      r.evaluations.erase(std::remove_if(r.evaluations.begin(), r.evaluations.end(),
                                         [](const EvaluationRecord& e) { return !e.normalized_score; }),
                          r.evaluations.end());
      r.ope = store.ope_estimates(info.id);
      const auto events = store.events(info.id);
      r.tau = hyperparameter_history(info.config_json, events, "expectile").final;
      r.beta = hyperparameter_history(info.config_json, events, "temperature").final;
      r.tuned = tuned_mid_run(info.config_json, events);
      if (auto it = scored.find({stores[s], info.id}); it != scored.end()) {
        r.group = d.groups[it->second.first].label;
        r.score = it->second.second;
        d.groups[it->second.first].runs.push_back(d.runs.size());
      }
      datasets.insert(info.dataset);
      r.info = std::move(info);
      d.runs.push_back(std::move(r));
    }
  }
  d.datasets.assign(datasets.begin(), datasets.end());
  return d;
}

std::string run_tag(const StudyData& d, const StudyRun& r) {
  const std::string id = "#" + std::to_string(r.info.id);
  if (d.stores.size() < 2) return id;
  return std::filesystem::path(d.stores[r.store]).filename().string() + " " + id;
}

std::string run_id_list(const StudyData& d, const std::vector<std::size_t>& runs) {
  std::vector<std::vector<std::int64_t>> per_store(d.stores.size());
  for (std::size_t k : runs) per_store[d.runs[k].store].push_back(d.runs[k].info.id);
  std::string out;
  for (std::size_t s = 0; s < per_store.size(); ++s) {
    auto& ids = per_store[s];
    if (ids.empty()) continue;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (!out.empty()) out += " \xC2\xB7 ";  // middle dot
    if (d.stores.size() > 1) out += std::filesystem::path(d.stores[s]).filename().string();
    for (auto id : ids) out += (out.empty() || out.back() == ' ' ? "#" : " #") + std::to_string(id);
  }
  return out;
}

std::vector<std::string> differing_config_keys(const StudyData& d) {
  std::map<std::string, std::set<std::string>> values;
  std::vector<json> configs;
  for (const auto& r : d.runs) configs.push_back(config_object(r.info.config_json));
  std::set<std::string> all;
  for (const auto& c : configs)
    for (auto it = c.begin(); it != c.end(); ++it) all.insert(it.key());
  std::vector<std::string> out;
  for (const auto& key : all) {
    std::set<std::string> seen;
    for (const auto& c : configs) seen.insert(c.contains(key) ? c[key].dump() : "<none>");
    if (seen.size() > 1) out.push_back(key);
  }
  return out;
}

std::string config_summary(const RunInfo& r, const std::vector<std::string>& keys) {
  const json cfg = config_object(r.config_json);
  std::string out;
  for (const auto& key : keys) {
    if (!cfg.contains(key)) continue;
    if (!out.empty()) out += " ";
    out += key + "=" + json_value_text(cfg[key]);
  }
  return out;
}

}  // namespace iql::report
