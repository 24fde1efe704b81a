#include "core/sweep/synthetic_sweep.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/store/run_store.h"
#include "core/sweep/sweep_folder.h"

namespace iql {

int64_t make_synthetic_sweep(const std::string& dir, const SyntheticSweepOptions& o) {
  nlohmann::json spec{{"name", "synthetic"},
                      {"base", {{"steps", o.steps}, {"log_interval", o.log_interval}, {"eval_interval", o.eval_interval},
                                {"probe_interval", o.probe_interval}}},
                      {"random", {{"count", o.shards}, {"seed", 1}, {"params", {{"expectile", {{"uniform", {0.5, 0.95}}}}}}}}};
  const SweepSpec s = SweepSpec::parse(spec.dump(), "synthetic spec");
  const SweepPlan plan = SweepPlan::make(s, SweepPlan::new_sweep_id("synthetic"));
  SweepFolder folder(dir);
  folder.create(s, plan);
  static const char* keys[] = {"v_loss", "q_loss", "actor_loss", "v_mean", "q_mean", "adv_mean", "adv_std", "weight_mean", "actor_lr"};
  int64_t rows = 0;
  for (const auto& task : plan.tasks) {
    const auto& m = task.members.front();
    RunStore store(folder.shard_path(task.index));
    RunInfo info;
    info.name = "synthetic " + m.point;
    info.algorithm = m.config.algorithm;
    info.dataset = m.config.dataset;
    info.env = m.config.env;
    info.config_json = m.config.to_json();
    info.tags = {"sweep=" + plan.sweep_id, "sweep-member=" + std::to_string(m.index)};
    const int64_t id = store.create_run(info);
    std::vector<MetricPoint> pts;
    for (int64_t step = o.log_interval; step <= o.steps; step += o.log_interval)
      for (int k = 0; k < 9; ++k) pts.push_back({step, keys[k], std::sin(0.001 * static_cast<double>(step) + k + task.index)});
    rows += static_cast<int64_t>(pts.size());
    store.append_metrics(id, pts, o.steps);
    for (int64_t step = o.eval_interval; o.eval_interval > 0 && step <= o.steps; step += o.eval_interval)
      store.add_evaluation(id, {step, -500.0 + static_cast<double>(task.index), 30.0, 40.0 + task.index % 50, 10});
    std::vector<double> edges(41), counts(40, 3.0);
    for (int b = 0; b <= 40; ++b) edges[static_cast<size_t>(b)] = -2.0 + 0.1 * b;
    for (int64_t step = o.probe_interval; o.probe_interval > 0 && step <= o.steps; step += o.probe_interval)
      for (const char* h : {"V", "Q", "A", "awr_weight"}) store.add_histogram(id, {step, h, edges, counts});
    store.add_event(id, 0, "start", "{}");
    store.add_checkpoint(id, {o.steps, folder.checkpoint_dir(task.index) + "/run-1/step-" + std::to_string(o.steps) + ".pt",
                              std::string(64, '0')});
    store.update_status(id, "finished");
  }
  return rows;
}

}  // namespace iql
