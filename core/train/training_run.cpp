#include "core/train/training_run.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "core/util/errors.h"

namespace iql {

namespace {
using Clock = std::chrono::steady_clock;

std::string default_name(const TrainConfig& c) {
  std::ostringstream os;
  os << c.algorithm << " " << std::filesystem::path(c.dataset).stem().string();
  if (c.algorithm != "bc") os << " tau=" << c.expectile << " beta=" << c.temperature;
  os << " seed=" << c.seed;
  return os.str();
}

EvaluationRecord to_record(const EvalResult& e, int episodes) {
  EvaluationRecord r;
  r.step = e.step;
  r.return_mean = e.return_mean;
  r.return_std = e.return_std;
  r.normalized_score = e.normalized_score;
  r.episodes = episodes;
  return r;
}

// Buffers metrics and writes them in one transaction per flush (about once a second).
class MetricSink {
public:
  MetricSink(RunStore& store, int64_t run) : store_(store), run_(run) {}
  void add(const StepMetrics& m) {
    for (auto& [k, v] : m.values) buf_.push_back({m.step, k, v});
  }
  void flush(int64_t step) {
    if (!buf_.empty()) store_.append_metrics(run_, buf_);
    buf_.clear();
    store_.set_steps(run_, step);
    last_ = Clock::now();
  }
  bool due() const { return Clock::now() - last_ > std::chrono::seconds(1); }

private:
  RunStore& store_;
  int64_t run_;
  std::vector<MetricPoint> buf_;
  Clock::time_point last_ = Clock::now();
};
}  // namespace

RunOutcome run_training(const TrainConfig& cfg_in, const RunOptions& opt, RunControl& control, const RunCallbacks& cb) {
  RunOutcome out;
  out.db_path = opt.db_path.empty() ? RunStore::default_path() : opt.db_path;
  RunStore store(out.db_path);

  TrainConfig cfg = cfg_in;
  std::optional<CheckpointRecord> resume_from;
  if (opt.resume_run_id) {
    auto info = store.get_run(*opt.resume_run_id);
    if (!info) throw ConfigError("no run with id " + std::to_string(*opt.resume_run_id) + " in " + out.db_path);
    cfg = TrainConfig::from_json(info->config_json);
    if (opt.steps_override) cfg.steps = *opt.steps_override;
    resume_from = store.latest_checkpoint(*opt.resume_run_id);
    if (!resume_from)
      throw ConfigError("run " + std::to_string(*opt.resume_run_id) + " has no checkpoint to resume from");
  }
  cfg.validate();
  Trainer trainer(cfg, load_dataset(cfg.dataset));  // bad input throws here, before a run row exists

  int64_t run_id;
  if (opt.resume_run_id) {
    run_id = *opt.resume_run_id;
    trainer.load_checkpoint(resume_from->path);
    store.update_status(run_id, "running");
  } else {
    RunInfo info;
    info.name = opt.name.empty() ? default_name(cfg) : opt.name;
    info.status = "running";
    info.algorithm = cfg.algorithm;
    info.dataset = cfg.dataset;
    info.env = cfg.env;
    info.physics = cfg.physics;
    info.config_json = cfg.to_json();
    info.seed = static_cast<int64_t>(cfg.seed);
    info.tags = opt.tags;
    run_id = store.create_run(info);
  }
  out.run_id = run_id;
  const std::string ckpt_dir =
      (opt.checkpoint_dir.empty() ? std::filesystem::path(out.db_path).parent_path() / "checkpoints"
                                  : std::filesystem::path(opt.checkpoint_dir)) /
      ("run-" + std::to_string(run_id));
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
  auto evaluate = [&]() {
    auto e = trainer.evaluate(cfg.eval_episodes);
    store.add_evaluation(run_id, to_record(e, cfg.eval_episodes));
    if (cb.on_evaluation) cb.on_evaluation(e);
    return e;
  };
  if (resume_from) record_event({trainer.step_count(), "resume_from_checkpoint", "", 0, 0});

  MetricSink sink(store, run_id);
  std::string status = "finished";
  try {
    const int64_t start_step = trainer.step_count();
    auto t_start = Clock::now(), t_progress = Clock::now();
    std::optional<EvalResult> last_eval;
    while (trainer.step_count() < cfg.steps) {
      for (auto& [name, value] : control.take_changes()) {
        const double old = trainer.set_hyperparameter(name, value);
        record_event({trainer.step_count(), "hyperparameter", name, old, value});
      }
      if (control.pause_requested() && !control.stop_requested()) {
        sink.flush(trainer.step_count());
        store.update_status(run_id, "paused");
        record_event({trainer.step_count(), "pause", "", 0, 0});
        control.wait_while_paused();
        store.update_status(run_id, "running");
        if (!control.stop_requested()) record_event({trainer.step_count(), "resume", "", 0, 0});
        continue;
      }
      if (control.stop_requested()) {
        record_event({trainer.step_count(), "stop", "", 0, 0});
        status = "stopped";
        break;
      }
      const int64_t next = trainer.step_count() + 1;
      const bool want = next % cfg.log_interval == 0 || next == cfg.steps;
      auto m = trainer.step(want);
      if (want) {
        sink.add(m);
        if (cb.on_metrics) cb.on_metrics(m);
      }
      if (cfg.eval_interval > 0 && next % cfg.eval_interval == 0) {
        last_eval = evaluate();
      }
      if (cfg.probe_interval > 0 && next % cfg.probe_interval == 0) {
        auto p = trainer.probe();
        for (auto& h : p.histograms) store.add_histogram(run_id, {p.step, h.name, h.edges, h.counts});
        if (cb.on_probe) cb.on_probe(p);
      }
      if (cfg.checkpoint_interval > 0 && next % cfg.checkpoint_interval == 0) save_checkpoint(next);
      if (sink.due()) sink.flush(next);
      if (Clock::now() - t_progress > std::chrono::milliseconds(500) || next == cfg.steps) {
        t_progress = Clock::now();
        const double secs = std::chrono::duration<double>(t_progress - t_start).count();
        out.steps_per_s = secs > 0 ? (next - start_step) / secs : 0.0;
        if (cb.on_progress) cb.on_progress(next, cfg.steps, out.steps_per_s);
      }
    }
    const int64_t done = trainer.step_count();
    sink.flush(done);
    out.final_evaluation = (last_eval && last_eval->step == done) ? *last_eval : evaluate();
    if (cfg.checkpoint_interval <= 0 || done % cfg.checkpoint_interval != 0) save_checkpoint(done);
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
  return out;
}

}  // namespace iql
