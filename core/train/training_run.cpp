#include "core/train/training_run.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/data/d4rl_hdf5_writer.h"
#include "core/runtime/training_slots.h"
#include "core/data/preprocess.h"
#include "core/env/env_registry.h"
#include "core/env/physics_detect.h"
#include "core/store/run_store.h"
#include "core/bench/runtime_info.h"
#include "core/train/run_recording.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql {

using namespace run_recording;

RunOutcome run_training(const TrainConfig& cfg_in, const RunOptions& opt, RunControl& control, const RunCallbacks& cb) {
  runtime::TrainingSlot slot;  // counted by other training processes choosing their thread share
  RunOutcome out;
  out.db_path = opt.db_path.empty() ? RunStore::default_path() : opt.db_path;
  RunStore store(out.db_path);

  TrainConfig cfg = cfg_in;
  std::optional<CheckpointRecord> start_from;
  std::string source_status;
  const std::optional<int64_t> source_run = opt.resume_run_id ? opt.resume_run_id : opt.finetune_run_id;
  if (source_run) {
    auto info = store.get_run(*source_run);
    if (!info) throw ConfigError("no run with id " + std::to_string(*source_run) + " in " + out.db_path);
    // Resuming continues with the stored config; fine-tuning takes the caller's (the parent's, with
    // its online settings).
    if (opt.resume_run_id) cfg = TrainConfig::from_json(info->config_json);
    source_status = info->status;
    if (opt.steps_override) cfg.steps = *opt.steps_override;
    if (opt.online_steps_override) cfg.online_steps = *opt.online_steps_override;
    start_from = store.latest_checkpoint(*source_run);
    if (opt.finetune_run_id && !opt.finetune_checkpoint.empty()) {
      start_from.reset();
      for (auto& c : store.checkpoints(*source_run))
        if (std::filesystem::equivalent(c.path, opt.finetune_checkpoint)) start_from = c;
      if (!start_from)
        throw ConfigError(opt.finetune_checkpoint + " is not a checkpoint of run " + std::to_string(*source_run));
    }
    if (!start_from) throw ConfigError("run " + std::to_string(*source_run) + " has no checkpoint to start from");
    if (opt.finetune_run_id && cfg.online_steps <= 0)
      throw ConfigError("fine-tuning needs online_steps > 0 (--online-steps N)");
  }
  if (opt.resume_run_id && source_status == "finished" && start_from->step >= cfg.steps) {
    // Already done, and the latest checkpoint is the final one: training would add nothing and
    // evaluating again would only repeat the last evaluation row.
    out.run_id = *opt.resume_run_id;
    out.status = source_status;
    out.steps = start_from->step;
    out.checkpoint_path = start_from->path;
    out.nothing_to_do = true;
    return out;
  }
  cfg.validate();
  cfg = cfg.resolved();  // the stored config says what the run uses
  Dataset data = load_dataset(cfg.dataset);  // bad input throws here, before a run row exists
  // Load-time fixes the official implementation makes too, recorded below as events of the run.
  std::optional<PhysicsDetection> detection;
  if (cfg.physics == "auto") {
    detection = detect_physics(data, cfg.env);
    cfg.physics = detection->chosen;
  }
  const ActionClipReport clip = clip_actions_to_bound(data, make_env(cfg.env, cfg.physics)->action_high());
  Trainer trainer(cfg, std::move(data));
  if (start_from) trainer.load_checkpoint(start_from->path);

  int64_t run_id;
  if (opt.resume_run_id) {
    run_id = *opt.resume_run_id;
    store.forget_after(run_id, start_from->step);  // a killed run recorded beyond its checkpoint
    store.update_status(run_id, "running");
  } else {
    RunInfo info;
    const bool finetune = opt.finetune_run_id.has_value();
    info.name = opt.name.empty() ? default_name(cfg, finetune) : opt.name;
    info.status = "running";
    info.algorithm = cfg.algorithm;
    info.dataset = cfg.dataset;
    info.env = cfg.env;
    info.physics = cfg.physics;
    info.config_json = cfg.to_json();
    info.seed = static_cast<int64_t>(cfg.seed);
    info.tags = opt.tags;
    info.parent_run_id = opt.finetune_run_id;
    info.phase = finetune ? "online" : (cfg.online_steps > 0 ? "offline+online" : "offline");
    run_id = store.create_run(info);
  }
  out.run_id = run_id;
  const std::string ckpt_dir = run_checkpoint_dir(opt.checkpoint_dir, out.db_path, run_id);
  store.add_event(run_id, trainer.step_count(), "runtime", runtime_info_json());
  if (cb.on_started) cb.on_started(run_id, trainer.config());

  auto record_event = [&](const RunEvent& ev) {
    store.add_event(run_id, ev.step, ev.kind, ev.payload_json());
    if (cb.on_event) cb.on_event(ev);
  };
  auto save_checkpoint = [&](int64_t step) {
    const std::string path = (std::filesystem::path(ckpt_dir) / ("step-" + std::to_string(step) + ".pt")).string();
    trainer.save_checkpoint(path);
    store.add_checkpoint(run_id, {step, path, RunStore::sha256_file(path)});
    out.checkpoint_path = path;
  };
  std::optional<EvalResult> last_eval;
  auto evaluate = [&]() {
    auto e = trainer.evaluate(cfg.eval_episodes);
    store.add_evaluation(run_id, to_record(e, cfg.eval_episodes));
    if (cb.on_evaluation) cb.on_evaluation(e);
    last_eval = e;
  };
  auto probe = [&]() {
    auto p = trainer.probe();
    for (auto& h : p.histograms) store.add_histogram(run_id, {p.step, h.name, h.edges, h.counts});
    if (cb.on_probe) cb.on_probe(p);
  };
  if (detection && detection->env != "pendulum") {  // pendulum has no physics variants: nothing to say
    RunEvent ev{trainer.step_count(), "physics_detected", "physics", 0, 0};
    ev.detail = detection->to_text();
    ev.payload = detection->to_json();
    record_event(ev);
  }
  if (clip.rows_clipped > 0) {
    RunEvent ev{trainer.step_count(), "actions_clipped", "actions", 0, clip.fraction()};
    ev.detail = clip.to_text();
    ev.payload = clip.to_json();
    record_event(ev);
  }
  if (opt.resume_run_id) record_event({trainer.step_count(), "resume_from_checkpoint", "", 0, 0});
  if (opt.finetune_run_id) record_event({trainer.step_count(), "finetune_from_run", "", 0, 0});

  MetricSink sink(store, run_id);
  std::string status = "finished";
  // Applies live changes, blocks while paused; returns false when the run must stop.
  auto gate = [&]() {
    for (auto& [name, value] : control.take_changes()) {
      try {
        const double old = trainer.set_hyperparameter(name, value);
        record_event({trainer.step_count(), "hyperparameter", name, old, value});
      } catch (const ConfigError&) {  // an invalid live value (or unknown name) is refused, the run goes on
        double current = std::nan("");
        try {
          current = trainer.hyperparameter(name);
        } catch (const ConfigError&) {
        }
        record_event({trainer.step_count(), "hyperparameter_rejected", name, current, value});
      }
    }
    if (control.pause_requested() && !control.stop_requested()) {
      sink.flush(trainer.step_count());
      store.update_status(run_id, "paused");
      record_event({trainer.step_count(), "pause", "", 0, 0});
      control.wait_while_paused();
      store.update_status(run_id, "running");
      if (!control.stop_requested()) record_event({trainer.step_count(), "resume", "", 0, 0});
    }
    if (control.stop_requested()) {
      record_event({trainer.step_count(), "stop", "", 0, 0});
      status = "stopped";
      return false;
    }
    return true;
  };
  try {
    // Offline phase: gradient steps on the dataset.
    Progress progress(trainer.step_count());
    while (trainer.step_count() < cfg.steps && gate()) {
      const int64_t next = trainer.step_count() + 1;
      const bool want = next % cfg.log_interval == 0 || next == cfg.steps;
      auto m = trainer.step(want);
      if (want) {
        sink.add(m);
        if (cb.on_metrics) cb.on_metrics(m);
      }
      if (cfg.eval_interval > 0 && next % cfg.eval_interval == 0) evaluate();
      if (cfg.probe_interval > 0 && next % cfg.probe_interval == 0) probe();
      if (cfg.checkpoint_interval > 0 && next % cfg.checkpoint_interval == 0) save_checkpoint(next);
      if (sink.due()) sink.flush(next);
      if (progress.due(next == cfg.steps)) {
        if (cfg.threads == 0) set_threads(0);  // re-share the cores as other trainings start and end
        out.steps_per_s = progress.rate(next);
        if (cb.on_progress) cb.on_progress(next, cfg.steps, out.steps_per_s);
      }
    }
    // Online phase: environment interaction with updates (fine-tuning).
    if (status == "finished" && cfg.online_steps > 0) {
      if (!last_eval || last_eval->step != trainer.step_count()) evaluate();  // the offline score, before
      sink.flush(trainer.step_count());
      record_event({trainer.step_count(), "phase", "online", 0, static_cast<double>(cfg.online_steps)});
      trainer.begin_online();
      Progress online_progress(0);
      int64_t env_steps = 0;
      while (env_steps < cfg.online_steps && gate()) {
        const bool want = (env_steps + 1) % cfg.log_interval == 0;
        StepMetrics m;
        auto info = trainer.online_step(want, &m);
        env_steps = info.env_steps;
        if (want) {
          m.values.emplace_back("online_env_steps", static_cast<double>(env_steps));
          sink.add(m);
          if (cb.on_metrics) cb.on_metrics(m);
        }
        if (info.episode_done) {
          sink.add(trainer.step_count(), "online_episode_return", info.episode_return);
          if (cb.on_online_episode) cb.on_online_episode(trainer.step_count(), info);
        }
        if (cfg.eval_interval > 0 && env_steps % cfg.eval_interval == 0) evaluate();
        if (cfg.probe_interval > 0 && env_steps % cfg.probe_interval == 0) probe();
        if (sink.due()) sink.flush(trainer.step_count());
        if (online_progress.due(env_steps == cfg.online_steps) && cb.on_online_progress)
          cb.on_online_progress(env_steps, cfg.online_steps, online_progress.rate(env_steps));
      }
    }
    const int64_t done = trainer.step_count();
    sink.flush(done);
    const bool final_checkpoint = cfg.checkpoint_interval <= 0 || done % cfg.checkpoint_interval != 0 || trainer.online();
    // A stopped run may be resumed (sweep tasks requeued by Slurm): checkpoint it before its stop-time
    // evaluation, so the resumed run's evaluation seeds continue as if it had never stopped.
    if (status == "stopped" && final_checkpoint) save_checkpoint(done);
    if (!last_eval || last_eval->step != done) evaluate();
    out.final_evaluation = last_eval;
    if (status != "stopped" && final_checkpoint) save_checkpoint(done);
    out.steps = done;
    store.update_status(run_id, status);
  } catch (...) {
    try {
      sink.flush(trainer.step_count());
      store.update_status(run_id, "failed");
    } catch (...) {
    }
    throw;
  }
  out.status = status;
  if (trainer.online() && !opt.online_dataset_out.empty()) {
    write_d4rl_hdf5(trainer.online_dataset(), opt.online_dataset_out);
    out.online_dataset_path = opt.online_dataset_out;
  }
  return out;
}

}  // namespace iql
