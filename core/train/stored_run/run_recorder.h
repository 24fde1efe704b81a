// What a stored run writes, for its P >= 1 members (a single run is a population of one): metrics in
// batched transactions, events, evaluations, probe histograms, checkpoints and status, each stored on
// the member's own run row and passed on to the callbacks. The stored-run loop (stored_run.cpp) decides
// when; this class decides how. Internal to core/train.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/run_store.h"
#include "core/train/stored_run/stored_run.h"
#include "core/train/training_types.h"

namespace iql {

class Trainer;

namespace stored_run {

using Clock = std::chrono::steady_clock;

// "iql hopper-medium tau=0.7 beta=3 seed=0" (+ " +online N" for a fine-tuning run).
std::string default_name(const TrainConfig& c, bool finetune);
// One checkpoint folder per store (named after it): run ids restart in every store, so two stores in
// one folder must not write each other's run-<id>/step-N.pt.
std::string run_checkpoint_dir(const std::string& checkpoint_dir, const std::string& db_path, int64_t run_id);

class RunRecorder {
public:
  RunRecorder(RunStore& store, std::vector<int64_t> run_ids, const std::string& checkpoint_dir,
              const std::string& db_path, const StoredRunCallbacks& cb);

  int64_t members() const { return static_cast<int64_t>(ids_.size()); }
  const std::vector<int64_t>& run_ids() const { return ids_; }

  void event(int64_t member, const RunEvent& ev);
  void event_all(const RunEvent& ev);
  // The process's threads and BLAS, stored (not reported) on every member when a run starts or resumes.
  // The 'runtime' event: threads and BLAS, merged with the trainer's device facts (a JSON object).
  void runtime_info(int64_t step, const std::string& device_json);

  void metrics(const std::vector<StepMetrics>& per_member);      // buffered
  void metric(int64_t member, int64_t step, const std::string& key, double value);  // buffered, not reported
  bool flush_due() const { return Clock::now() - last_flush_ > std::chrono::seconds(1); }
  void flush(int64_t step);  // one transaction per member: its metrics and step count commit together

  void evaluate(Trainer& trainer, int episodes);
  void probe(Trainer& trainer);
  void checkpoint(const Trainer& trainer, int64_t step);
  void status(const std::string& status);

  // The step of the latest evaluation (every member is evaluated together), or -1.
  int64_t last_evaluation_step() const { return last_eval_[0] ? last_eval_[0]->step : -1; }
  const std::optional<EvalResult>& last_evaluation(int64_t member) const { return last_eval_[member]; }
  const std::string& last_checkpoint(int64_t member) const { return last_ckpt_[member]; }

private:
  RunStore& store_;
  std::vector<int64_t> ids_;
  std::vector<std::string> ckpt_dirs_;
  const StoredRunCallbacks& cb_;
  std::vector<std::vector<MetricPoint>> buf_;
  Clock::time_point last_flush_ = Clock::now();
  std::vector<std::optional<EvalResult>> last_eval_;
  std::vector<std::string> last_ckpt_;
};

// Rate of a counter, reported at most twice a second.
class Progress {
public:
  explicit Progress(int64_t start) : start_(start) {}
  bool due(bool force);
  double rate(int64_t now) const;

private:
  int64_t start_;
  Clock::time_point t0_ = Clock::now(), last_ = Clock::now();
};

}  // namespace stored_run
}  // namespace iql
