// Plain structs that leave the training loop (to the store, the CLI and the GUI). Torch-free.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace iql {

struct StepMetrics {
  int64_t step = 0;
  std::vector<std::pair<std::string, double>> values;
  double value(const std::string& key, double fallback = 0.0) const {
    for (auto& [k, v] : values)
      if (k == key) return v;
    return fallback;
  }
};

struct EvalResult {
  int64_t step = 0;
  double return_mean = 0.0;
  double return_std = 0.0;
  std::optional<double> normalized_score;
  std::vector<double> returns;   // one per episode
  std::vector<int64_t> lengths;  // environment steps of each episode (1000 = ran to the time limit)
  double seconds = 0.0;
};

struct Histogram {
  std::string name;
  std::vector<double> edges;   // bins + 1
  std::vector<double> counts;  // bins
};

// Per-transition values of a fixed probe batch of dataset transitions at one step.
struct ProbeSnapshot {
  int64_t step = 0;
  double expectile = 0.0;
  double temperature = 0.0;
  double max_weight = 100.0;
  std::vector<float> v, q, adv, weights;
  std::vector<Histogram> histograms;  // "v", "q", "adv", "weights"
};

// A hyperparameter change, pause/resume/stop, or phase switch, as recorded in the store.
struct RunEvent {
  int64_t step = 0;
  std::string kind;          // "hyperparameter", "pause", "resume", "stop", "resume_from_checkpoint"
  std::string name;          // hyperparameter name (kind == "hyperparameter")
  double old_value = 0.0;
  double new_value = 0.0;
  std::string detail;   // one human-readable line for kinds without a name/old/new (physics_detected, ...)
  std::string payload;  // JSON stored as the event's payload instead of the default when non-empty
  std::string payload_json() const;
};

// One environment step of online fine-tuning.
struct OnlineStepInfo {
  int64_t env_steps = 0;
  bool episode_done = false;
  double episode_return = 0.0;  // raw environment return of the finished episode
  int64_t episode_length = 0;
};

// Equal-width histogram of values over [lo, hi] (lo/hi default to the data's range).
Histogram make_histogram(const std::string& name, const std::vector<float>& values, int bins = 40);

}  // namespace iql
