// What every offline algorithm (IQL, BC) offers the trainer. Algorithms return plain name/value
// metrics and never log. Core-private header (torch).
#pragma once
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace iql::algo {

struct Batch {
  torch::Tensor obs, act, rew, next_obs, terminal;  // [B, o], [B, a], [B], [B, o], [B] (1 = terminal)
};

using Metrics = std::vector<std::pair<std::string, double>>;

// Per-transition values on a probe batch, for the distribution views.
struct ProbeValues {
  torch::Tensor v, q, adv, weights;  // [N] each; undefined for algorithms without critics
};

class Agent {
public:
  virtual ~Agent() = default;
  virtual std::string name() const = 0;
  // One gradient step on a batch. Metrics are computed only when asked (they cost syncs).
  virtual Metrics update(const Batch& batch, bool want_metrics) = 0;
  // Actions in [-1, 1] for normalised observations [N, o].
  virtual torch::Tensor act(const torch::Tensor& obs, bool deterministic) = 0;
  virtual ProbeValues probe(const Batch& batch) = 0;
  // Live hyperparameters (see live_hyperparameters()); false if unknown to this algorithm.
  virtual bool set_hyperparameter(const std::string& name, double value) = 0;
  // When true, the actor lr stays at its base value (online fine-tuning freezes the schedule).
  virtual void set_actor_schedule_frozen(bool frozen) = 0;
  virtual int64_t updates() const = 0;
  // Whole training state: networks, targets, optimisers, step counters.
  virtual void save(torch::serialize::OutputArchive& ar) = 0;
  virtual void load(torch::serialize::InputArchive& ar) = 0;
};

}  // namespace iql::algo
