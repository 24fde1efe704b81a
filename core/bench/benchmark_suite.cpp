#include "core/bench/benchmark_suite.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/env/builtin_datasets.h"
#include "core/stats/summary_stats.h"
#include "core/store/run_store.h"
#include "core/train/d4rl_generator.h"
#include "core/env/dataset_source.h"
#include "core/train/training_run.h"
#include "core/util/errors.h"

namespace iql {

std::string env_for_dataset(const std::string& dataset) {
  if (is_builtin_dataset(dataset)) return "pendulum";
  auto d = load_dataset(dataset);
  if (auto it = d.metadata.find("env"); it != d.metadata.end() && !it->second.empty()) return it->second;
  const auto stem = std::filesystem::path(dataset).stem().string();
  if (stem.rfind("antmaze-", 0) == 0)  // antmaze-medium-play-v2 -> antmaze-medium
    return stem.substr(0, stem.find('-', 8));
  return stem.substr(0, stem.find('-'));
}

namespace {
// Mean and std over seeds (NaN for a cell without scores): the sample std (n - 1), as in every other
// table over seeds (score curves, the compare view), so one table can be held against another.
constexpr stats::StdConvention kSeedStd = stats::StdConvention::Sample;
void summarise(SuiteCell& cell) {
  cell.mean = stats::mean(cell.scores);
  cell.std = stats::std_dev(cell.scores, kSeedStd);
}
}  // namespace

SuiteResult run_suite(const SuiteOptions& o) {
  SuiteResult res;
  for (const auto& ds : o.datasets) {
    const std::string env = env_for_dataset(ds);
    for (const auto& algo : o.algorithms) {
      SuiteCell cell;
      cell.dataset = std::filesystem::path(ds).stem().string();
      cell.algorithm = algo;
      for (int seed = 0; seed < o.seeds; ++seed) {
        TrainConfig c = o.base;
        c.dataset = ds;
        c.env = env;
        c.physics = o.physics;
        c.algorithm = algo;
        c.steps = o.steps;
        c.seed = static_cast<uint64_t>(seed);
        c.eval_interval = 0;
        c.eval_episodes = o.eval_episodes;
        c.probe_interval = 0;
        RunOptions ro;
        ro.db_path = o.db_path;
        ro.tags = {"bench-suite"};
        RunControl control;
        auto out = run_training(c, ro, control, {});
        const double score = out.final_evaluation && out.final_evaluation->normalized_score
                                 ? *out.final_evaluation->normalized_score
                                 : std::nan("");
        cell.scores.push_back(score);
        cell.run_ids.push_back(out.run_id);
        if (o.on_progress) {
          std::ostringstream os;
          os << algo << " on " << cell.dataset << " seed " << seed << ": normalised score " << std::fixed
             << std::setprecision(1) << score << " (run " << out.run_id << ", " << std::setprecision(0)
             << out.steps_per_s << " steps/s)";
          o.on_progress(os.str());
        }
      }
      summarise(cell);
      res.cells.push_back(cell);
    }
  }
  return res;
}

SuiteResult suite_from_store(const std::string& db_path, const std::string& tag, int64_t steps) {
  if (!std::filesystem::exists(db_path)) throw ConfigError("run store '" + db_path + "' does not exist");
  RunStore store(db_path, RunStore::Mode::read_only);  // a table never writes the store
  SuiteResult res;
  auto runs = store.list_runs();
  std::reverse(runs.begin(), runs.end());  // oldest first, so seeds appear in the order they ran
  for (const auto& run : runs) {
    if (run.status != "finished" || (steps > 0 && run.steps != steps)) continue;
    if (std::find(run.tags.begin(), run.tags.end(), tag) == run.tags.end()) continue;
    const auto score = store.best_and_final_score(run.id);
    if (!score) continue;
    const std::string dataset = std::filesystem::path(run.dataset).stem().string();
    auto it = std::find_if(res.cells.begin(), res.cells.end(), [&](const SuiteCell& c) {
      return c.dataset == dataset && c.algorithm == run.algorithm;
    });
    if (it == res.cells.end()) {
      res.cells.push_back({dataset, run.algorithm, {}, {}, 0.0, 0.0});
      it = res.cells.end() - 1;
    }
    it->scores.push_back(score->second);
    it->run_ids.push_back(run.id);
  }
  for (auto& c : res.cells) summarise(c);
  return res;
}

std::string SuiteResult::table() const {
  std::vector<std::string> datasets, algos;
  for (auto& c : cells) {
    if (std::find(datasets.begin(), datasets.end(), c.dataset) == datasets.end()) datasets.push_back(c.dataset);
    if (std::find(algos.begin(), algos.end(), c.algorithm) == algos.end()) algos.push_back(c.algorithm);
  }
  // Rows as in the paper's Table 1: by dataset kind (medium, medium-replay, medium-expert, ...), then env.
  auto rank = [](const std::string& name) {
    static const std::vector<std::string> order = {"medium", "medium-replay", "medium-expert", "expert", "random"};
    try {
      const auto kind = split_dataset_name(name).second;
      return static_cast<int>(std::find(order.begin(), order.end(), kind) - order.begin());
    } catch (const ConfigError&) {
      return static_cast<int>(order.size());
    }
  };
  std::stable_sort(datasets.begin(), datasets.end(), [&](const std::string& a, const std::string& b) {
    return std::make_pair(rank(a), a) < std::make_pair(rank(b), b);
  });
  std::ostringstream os;
  os << std::left << std::setw(32) << "dataset";
  for (auto& a : algos) os << std::setw(18) << a;
  os << "\n";
  std::vector<double> totals(algos.size(), 0.0);
  for (auto& d : datasets) {
    os << std::setw(32) << d;
    for (size_t k = 0; k < algos.size(); ++k) {
      for (auto& c : cells)
        if (c.dataset == d && c.algorithm == algos[k]) {
          std::ostringstream v;
          v << std::fixed << std::setprecision(1) << c.mean << " +- " << c.std;
          os << std::setw(18) << v.str();
          totals[k] += c.mean;
        }
    }
    os << "\n";
  }
  os << std::setw(32) << "total";
  for (double t : totals) {
    std::ostringstream v;
    v << std::fixed << std::setprecision(1) << t;
    os << std::setw(18) << v.str();
  }
  os << "\n(normalised score: mean +- sample std (n - 1) over seeds)\n";
  return os.str();
}

std::string SuiteResult::to_json() const {
  nlohmann::json j = nlohmann::json::array();
  for (auto& c : cells)
    j.push_back({{"dataset", c.dataset}, {"algorithm", c.algorithm}, {"scores", c.scores}, {"mean", c.mean},
                 {"std", c.std}, {"run_ids", c.run_ids}});
  return j.dump(2);
}

}  // namespace iql
