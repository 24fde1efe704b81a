// Pieces shared by the stored training loops (one run, a population): batched metric writes,
// progress rates, run names and evaluation records. Internal to core/train.
#pragma once
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "core/store/run_store.h"
#include "core/train/train_config.h"
#include "core/train/training_types.h"

namespace iql {
namespace run_recording {
using Clock = std::chrono::steady_clock;

inline std::string default_name(const TrainConfig& c, bool finetune) {
  std::ostringstream os;
  os << c.algorithm << " " << std::filesystem::path(c.dataset).stem().string();
  if (c.algorithm != "bc") os << " tau=" << c.expectile << " beta=" << c.temperature;
  os << " seed=" << c.seed;
  if (finetune) os << " +online " << c.online_steps;
  return os.str();
}

inline EvaluationRecord to_record(const EvalResult& e, int episodes) {
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
  void add(int64_t step, const std::string& key, double value) { buf_.push_back({step, key, value}); }
  void flush(int64_t step) {
    store_.append_metrics(run_, buf_, step);  // metrics and step count commit together
    buf_.clear();
    last_ = Clock::now();
  }
  bool due() const { return Clock::now() - last_ > std::chrono::seconds(1); }

private:
  RunStore& store_;
  int64_t run_;
  std::vector<MetricPoint> buf_;
  Clock::time_point last_ = Clock::now();
};

// Rate of a counter, reported at most twice a second.
class Progress {
public:
  explicit Progress(int64_t start) : start_(start) {}
  bool due(bool force) {
    if (!force && Clock::now() - last_ < std::chrono::milliseconds(500)) return false;
    last_ = Clock::now();
    return true;
  }
  double rate(int64_t now) const {
    const double s = std::chrono::duration<double>(last_ - t0_).count();
    return s > 0 ? (now - start_) / s : 0.0;
  }

private:
  int64_t start_;
  Clock::time_point t0_ = Clock::now(), last_ = Clock::now();
};
// One checkpoint folder per store (named after it): run ids restart in every store, so two stores in
// one folder must not write each other's run-<id>/step-N.pt.
inline std::string run_checkpoint_dir(const std::string& checkpoint_dir, const std::string& db_path, int64_t run_id) {
  const std::filesystem::path db(db_path);
  return ((checkpoint_dir.empty() ? db.parent_path() / (db.stem().string() + "-checkpoints")
                                  : std::filesystem::path(checkpoint_dir)) /
          ("run-" + std::to_string(run_id)))
      .string();
}

}  // namespace run_recording

}  // namespace iql
