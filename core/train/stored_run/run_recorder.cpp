#include "core/train/stored_run/run_recorder.h"

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/runtime_torch/runtime_info.h"
#include "core/train/trainer.h"

namespace iql::stored_run {

std::string default_name(const TrainConfig& c, bool finetune) {
  std::ostringstream os;
  os << c.algorithm << " " << std::filesystem::path(c.dataset).stem().string();
  if (c.algorithm != "bc") os << " tau=" << c.expectile << " beta=" << c.temperature;
  os << " seed=" << c.seed;
  if (finetune) os << " +online " << c.online_steps;
  return os.str();
}

std::string run_checkpoint_dir(const std::string& checkpoint_dir, const std::string& db_path, int64_t run_id) {
  const std::filesystem::path db(db_path);
  return ((checkpoint_dir.empty() ? db.parent_path() / (db.stem().string() + "-checkpoints")
                                  : std::filesystem::path(checkpoint_dir)) /
          ("run-" + std::to_string(run_id)))
      .string();
}

RunRecorder::RunRecorder(RunStore& store, std::vector<int64_t> run_ids, const std::string& checkpoint_dir,
                         const std::string& db_path, const StoredRunCallbacks& cb)
    : store_(store), ids_(std::move(run_ids)), cb_(cb), buf_(ids_.size()), last_eval_(ids_.size()),
      last_ckpt_(ids_.size()) {
  for (auto id : ids_) ckpt_dirs_.push_back(run_checkpoint_dir(checkpoint_dir, db_path, id));
}

void RunRecorder::event(int64_t k, const RunEvent& ev) {
  store_.add_event(ids_[k], ev.step, ev.kind, ev.payload_json());
  if (cb_.on_event) cb_.on_event(k, ev);
}

void RunRecorder::event_all(const RunEvent& ev) {
  for (int64_t k = 0; k < members(); ++k) event(k, ev);
}

void RunRecorder::runtime_info(int64_t step, const std::string& device_json) {
  auto j = nlohmann::json::parse(runtime_info_json());
  j.update(nlohmann::json::parse(device_json));  // device, its name, CUDA version, graphs, precision
  for (auto id : ids_) store_.add_event(id, step, "runtime", j.dump());
}

void RunRecorder::metrics(const std::vector<StepMetrics>& per_member) {
  for (int64_t k = 0; k < members(); ++k) {
    const StepMetrics& m = per_member[k];
    for (auto& [key, v] : m.values) buf_[k].push_back({m.step, key, v});
    if (cb_.on_metrics) cb_.on_metrics(k, m);
  }
}

void RunRecorder::metric(int64_t k, int64_t step, const std::string& key, double value) {
  buf_[k].push_back({step, key, value});
}

void RunRecorder::flush(int64_t step) {
  for (int64_t k = 0; k < members(); ++k) {
    store_.append_metrics(ids_[k], buf_[k], step);
    buf_[k].clear();
  }
  last_flush_ = Clock::now();
}

void RunRecorder::evaluate(Trainer& trainer, int episodes) {
  auto results = trainer.evaluate_members(episodes);
  for (int64_t k = 0; k < members(); ++k) {
    const EvalResult& e = results[k];
    EvaluationRecord r;
    r.step = e.step;
    r.return_mean = e.return_mean;
    r.return_std = e.return_std;
    r.normalized_score = e.normalized_score;
    r.episodes = episodes;
    store_.add_evaluation(ids_[k], r);
    if (cb_.on_evaluation) cb_.on_evaluation(k, e);
    last_eval_[k] = e;
  }
}

void RunRecorder::probe(Trainer& trainer) {
  auto snaps = trainer.probe_members();
  for (int64_t k = 0; k < members(); ++k) {
    for (auto& h : snaps[k].histograms) store_.add_histogram(ids_[k], {snaps[k].step, h.name, h.edges, h.counts});
    if (cb_.on_probe) cb_.on_probe(k, snaps[k]);
  }
}

void RunRecorder::checkpoint(const Trainer& trainer, int64_t step) {
  for (int64_t k = 0; k < members(); ++k) {
    const std::string path = (std::filesystem::path(ckpt_dirs_[k]) / ("step-" + std::to_string(step) + ".pt")).string();
    trainer.save_member_checkpoint(k, path);
    store_.add_checkpoint(ids_[k], {step, path, RunStore::sha256_file(path)});
    last_ckpt_[k] = path;
  }
}

void RunRecorder::status(const std::string& s) {
  for (auto id : ids_) store_.update_status(id, s);
}

bool Progress::due(bool force) {
  if (!force && Clock::now() - last_ < std::chrono::milliseconds(500)) return false;
  last_ = Clock::now();
  return true;
}

double Progress::rate(int64_t now) const {
  const double s = std::chrono::duration<double>(last_ - t0_).count();
  return s > 0 ? (now - start_) / s : 0.0;
}

}  // namespace iql::stored_run
