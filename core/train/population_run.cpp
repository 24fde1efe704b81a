#include "core/train/population_run.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/bench/runtime_info.h"
#include "core/data/preprocess.h"
#include "core/env/env_registry.h"
#include "core/env/physics_detect.h"
#include "core/runtime/training_slots.h"
#include "core/store/run_store.h"
#include "core/train/population_grid.h"
#include "core/train/run_recording.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql {

using namespace run_recording;

namespace {
// The latest step at which every member has a checkpoint (members are saved together, but a kill
// between two members' files leaves them one interval apart).
std::vector<CheckpointRecord> common_checkpoints(RunStore& store, const std::vector<int64_t>& ids) {
  std::map<int64_t, std::vector<CheckpointRecord>> by_step;  // step -> one record per member, in member order
  for (auto id : ids) {
    std::map<int64_t, CheckpointRecord> latest_at;  // a step saved twice counts once (the later record)
    for (auto& c : store.checkpoints(id)) latest_at[c.step] = c;
    for (auto& [step, c] : latest_at) by_step[step].push_back(c);
  }
  for (auto it = by_step.rbegin(); it != by_step.rend(); ++it)
    if (it->second.size() == ids.size()) return it->second;
  return {};
}
}  // namespace

PopulationOutcome run_population(const std::vector<TrainConfig>& members_in, const PopulationOptions& opt,
                                 RunControl& control, const PopulationCallbacks& cb) {
  runtime::TrainingSlot slot;  // counted by other training processes choosing their thread share
  PopulationOutcome out;
  out.db_path = opt.db_path.empty() ? RunStore::default_path() : opt.db_path;
  RunStore store(out.db_path);

  std::vector<TrainConfig> cfgs = members_in;
  std::vector<int64_t> ids;
  std::vector<CheckpointRecord> start_from;
  if (!opt.resume_population.empty()) {
    cfgs.clear();
    std::vector<RunInfo> runs;
    for (auto& r : store.list_runs())
      if (r.population_id == opt.resume_population) runs.push_back(r);
    if (runs.empty()) throw ConfigError("no population '" + opt.resume_population + "' in " + out.db_path);
    std::sort(runs.begin(), runs.end(),
              [](const RunInfo& a, const RunInfo& b) { return a.population_member < b.population_member; });
    for (auto& r : runs) {
      ids.push_back(r.id);
      cfgs.push_back(TrainConfig::from_json(r.config_json));
      if (opt.steps_override) cfgs.back().steps = *opt.steps_override;
    }
    start_from = common_checkpoints(store, ids);
    if (start_from.empty())
      throw ConfigError("population " + opt.resume_population + " has no step at which every member has a checkpoint");
  }
  if (cfgs.empty()) throw ConfigError("a population needs at least one member");
  if ((!opt.member_names.empty() && opt.member_names.size() != cfgs.size()) ||
      (!opt.member_tags.empty() && opt.member_tags.size() != cfgs.size()))
    throw ConfigError("a population of " + std::to_string(cfgs.size()) + " members needs one name and one tag list per member");
  for (auto& c : cfgs) {
    c.validate();
    c = c.resolved();  // the stored configs say what the members use
  }
  Dataset data = load_dataset(cfgs[0].dataset);  // bad input throws here, before run rows exist
  // The load-time fixes of a single run (see run_training), once for the shared data.
  std::optional<PhysicsDetection> detection;
  if (cfgs[0].physics == "auto") {
    detection = detect_physics(data, cfgs[0].env);
    for (auto& c : cfgs) c.physics = detection->chosen;
  }
  if (auto why = population_mismatch(cfgs); !why.empty()) throw ConfigError(why);
  const ActionClipReport clip = clip_actions_to_bound(data, make_env(cfgs[0].env, cfgs[0].physics)->action_high());
  Trainer trainer(cfgs, std::move(data));
  const int64_t P = trainer.members();
  for (size_t k = 0; k < start_from.size(); ++k) trainer.load_member_checkpoint(k, start_from[k].path);

  if (opt.resume_population.empty()) {
    out.population_id = new_population_id();
    for (int64_t k = 0; k < P; ++k) {
      RunInfo info;
      const auto& c = cfgs[k];
      info.name = opt.member_names.empty()
                      ? default_name(c, false) + " [pop " + std::to_string(k + 1) + "/" + std::to_string(P) + "]"
                      : opt.member_names[k];
      info.status = "running";
      info.algorithm = c.algorithm;
      info.dataset = c.dataset;
      info.env = c.env;
      info.physics = c.physics;
      info.config_json = c.to_json();
      info.seed = static_cast<int64_t>(c.seed);
      info.tags = opt.tags;
      if (!opt.member_tags.empty())
        info.tags.insert(info.tags.end(), opt.member_tags[k].begin(), opt.member_tags[k].end());
      info.phase = "offline";
      info.population_id = out.population_id;
      info.population_member = k;
      ids.push_back(store.create_run(info));
    }
  } else {
    out.population_id = opt.resume_population;
    if (trainer.step_count() >= cfgs[0].steps) {  // nothing left to train: say so, store nothing new
      out.status = "finished";
      out.nothing_to_train = true;
      out.steps = trainer.step_count();
      for (int64_t k = 0; k < P; ++k) {
        RunOutcome r;
        r.run_id = ids[k];
        r.status = "finished";
        r.steps = out.steps;
        r.db_path = out.db_path;
        r.checkpoint_path = start_from[k].path;
        out.members.push_back(r);
      }
      return out;
    }
    for (int64_t k = 0; k < P; ++k) {
      store.forget_after(ids[k], start_from[k].step);  // a killed population recorded beyond its checkpoints
      store.update_status(ids[k], "running");
    }
  }
  std::vector<std::string> ckpt_dirs;
  for (auto id : ids) {
    ckpt_dirs.push_back(run_checkpoint_dir(opt.checkpoint_dir, out.db_path, id));
    store.add_event(id, trainer.step_count(), "runtime", runtime_info_json());
  }
  if (cb.on_started) {
    std::vector<TrainConfig> now;
    for (int64_t k = 0; k < P; ++k) now.push_back(trainer.member_config(k));
    cb.on_started(out.population_id, ids, now);
  }

  auto record_event = [&](int64_t k, const RunEvent& ev) {
    store.add_event(ids[k], ev.step, ev.kind, ev.payload_json());
    if (cb.on_event) cb.on_event(k, ev);
  };
  auto record_all = [&](const RunEvent& ev) {
    for (int64_t k = 0; k < P; ++k) record_event(k, ev);
  };
  std::vector<std::string> last_ckpt(P);
  auto save_checkpoints = [&](int64_t step) {
    for (int64_t k = 0; k < P; ++k) {
      const std::string path = (std::filesystem::path(ckpt_dirs[k]) / ("step-" + std::to_string(step) + ".pt")).string();
      trainer.save_member_checkpoint(k, path);
      store.add_checkpoint(ids[k], {step, path, RunStore::sha256_file(path)});
      last_ckpt[k] = path;
    }
  };
  std::vector<std::optional<EvalResult>> last_eval(P);
  const int episodes = cfgs[0].eval_episodes;
  auto evaluate = [&]() {
    auto results = trainer.evaluate_members(episodes);
    for (int64_t k = 0; k < P; ++k) {
      store.add_evaluation(ids[k], to_record(results[k], episodes));
      if (cb.on_evaluation) cb.on_evaluation(k, results[k]);
      last_eval[k] = results[k];
    }
  };
  auto probe = [&]() {
    auto snaps = trainer.probe_members();
    for (int64_t k = 0; k < P; ++k) {
      for (auto& h : snaps[k].histograms) store.add_histogram(ids[k], {snaps[k].step, h.name, h.edges, h.counts});
      if (cb.on_probe) cb.on_probe(k, snaps[k]);
    }
  };
  if (detection && detection->env != "pendulum") {  // pendulum has no physics variants: nothing to say
    RunEvent ev{trainer.step_count(), "physics_detected", "physics", 0, 0};
    ev.detail = detection->to_text();
    ev.payload = detection->to_json();
    record_all(ev);
  }
  if (clip.rows_clipped > 0) {
    RunEvent ev{trainer.step_count(), "actions_clipped", "actions", 0, clip.fraction()};
    ev.detail = clip.to_text();
    ev.payload = clip.to_json();
    record_all(ev);
  }
  if (!opt.resume_population.empty()) record_all({trainer.step_count(), "resume_from_checkpoint", "", 0, 0});

  std::vector<MetricSink> sinks;
  for (auto id : ids) sinks.emplace_back(store, id);
  auto flush_all = [&](int64_t step) {
    for (auto& s : sinks) s.flush(step);
  };
  std::string status = "finished";
  auto apply_change = [&](int64_t k, const std::string& name, double value) {
    try {
      const double old = trainer.set_hyperparameter(name, value, k);
      record_event(k, {trainer.step_count(), "hyperparameter", name, old, value});
    } catch (const ConfigError&) {  // an invalid live value (or unknown name) is refused, the run goes on
      double current = std::nan("");
      try {
        current = trainer.hyperparameter(name, k);
      } catch (const ConfigError&) {
      }
      record_event(k, {trainer.step_count(), "hyperparameter_rejected", name, current, value});
    }
  };
  auto gate = [&]() {
    for (auto& ch : control.take_member_changes()) {
      if (ch.member >= P) continue;
      for (int64_t k = 0; k < P; ++k)
        if (ch.member < 0 || ch.member == k) apply_change(k, ch.name, ch.value);
    }
    if (control.pause_requested() && !control.stop_requested()) {
      flush_all(trainer.step_count());
      for (auto id : ids) store.update_status(id, "paused");
      record_all({trainer.step_count(), "pause", "", 0, 0});
      control.wait_while_paused();
      for (auto id : ids) store.update_status(id, "running");
      if (!control.stop_requested()) record_all({trainer.step_count(), "resume", "", 0, 0});
    }
    if (control.stop_requested()) {
      record_all({trainer.step_count(), "stop", "", 0, 0});
      status = "stopped";
      return false;
    }
    return true;
  };
  const TrainConfig& c0 = cfgs[0];
  try {
    Progress progress(trainer.step_count());
    while (trainer.step_count() < c0.steps && gate()) {
      const int64_t next = trainer.step_count() + 1;
      const bool want = next % c0.log_interval == 0 || next == c0.steps;
      auto ms = trainer.step_members(want);
      if (want)
        for (int64_t k = 0; k < P; ++k) {
          sinks[k].add(ms[k]);
          if (cb.on_metrics) cb.on_metrics(k, ms[k]);
        }
      if (c0.eval_interval > 0 && next % c0.eval_interval == 0) evaluate();
      if (c0.probe_interval > 0 && next % c0.probe_interval == 0) probe();
      if (c0.checkpoint_interval > 0 && next % c0.checkpoint_interval == 0) save_checkpoints(next);
      if (sinks[0].due()) flush_all(next);
      if (progress.due(next == c0.steps)) {
        if (c0.threads == 0) set_threads(0);  // re-share the cores as other trainings start and end
        out.steps_per_s = progress.rate(next);
        if (cb.on_progress) cb.on_progress(next, c0.steps, out.steps_per_s);
      }
    }
    const int64_t done = trainer.step_count();
    flush_all(done);
    if (!last_eval[0] || last_eval[0]->step != done) evaluate();
    if (c0.checkpoint_interval <= 0 || done % c0.checkpoint_interval != 0) save_checkpoints(done);
    for (auto id : ids) store.update_status(id, status);
    out.steps = done;
  } catch (...) {
    try {
      flush_all(trainer.step_count());
      for (auto id : ids) store.update_status(id, "failed");
    } catch (...) {
    }
    throw;
  }
  out.status = status;
  for (int64_t k = 0; k < P; ++k) {
    RunOutcome r;
    r.run_id = ids[k];
    r.status = status;
    r.steps = out.steps;
    r.final_evaluation = last_eval[k];
    r.checkpoint_path = last_ckpt[k];
    r.steps_per_s = out.steps_per_s;
    r.db_path = out.db_path;
    out.members.push_back(r);
  }
  return out;
}

}  // namespace iql
