// What every offline algorithm (IQL, BC) offers the trainer. Algorithms return plain name/value
// metrics and never log. An agent holds P >= 1 population members as one batched model: batches,
// observations and probe values then carry a leading member axis [P, ...]; with P = 1 the 2-D forms
// of the single-run API work unchanged. Core-private header (torch).
#pragma once
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace iql::algo {

struct Batch {
  // [B, o], [B, a], [B], [B, o], [B] (1 = terminal); a population's batches add a leading [P] axis.
  torch::Tensor obs, act, rew, next_obs, terminal;
};

using Metrics = std::vector<std::pair<std::string, double>>;

// Per-transition values on a probe batch, for the distribution views.
struct ProbeValues {
  torch::Tensor v, q, adv, weights;  // [N] (or [P, N]) each; undefined for algorithms without critics
};

class Agent {
public:
  virtual ~Agent() = default;
  virtual std::string name() const = 0;
  virtual int64_t members() const = 0;
  // One gradient step of every member on its own batch; one Metrics per member. Metrics are computed
  // only when asked (they cost syncs).
  virtual std::vector<Metrics> update_members(const Batch& batch, bool want_metrics) = 0;
  Metrics update(const Batch& batch, bool want_metrics) { return update_members(batch, want_metrics).at(0); }
  // Actions in [-1, 1] for normalised observations [N, o] (or [P, N, o] -> [P, N, a]).
  virtual torch::Tensor act(const torch::Tensor& obs, bool deterministic) = 0;
  virtual ProbeValues probe(const Batch& batch) = 0;
  // Live hyperparameters (named as AgentHyperparameters::live names them) of one member, or of all
  // with member < 0; false if unknown to this algorithm.
  virtual bool set_hyperparameter(const std::string& name, double value, int64_t member = -1) = 0;
  // When true, the actor lr stays at its base value (online fine-tuning freezes the schedule).
  virtual void set_actor_schedule_frozen(bool frozen) = 0;
  virtual int64_t updates() const = 0;
  // One member's whole training state (networks, targets, optimisers, step counter) in the layout of a
  // one-member agent, so a population member's checkpoint is an ordinary run checkpoint.
  virtual void save_member(torch::serialize::OutputArchive& ar, int64_t member) = 0;
  virtual void load_member(torch::serialize::InputArchive& ar, int64_t member) = 0;
  void save(torch::serialize::OutputArchive& ar) { save_member(ar, 0); }

  // The device path (core/device/): the whole model moves to `device`, every member's layers run as
  // one batched GEMM, optimisers and schedules read device tensors, and dropout draws from
  // counter-based streams keyed by seeds[k]. On "cpu" it runs the same kernels on the CPU (tests).
  virtual void to_device(const torch::Device& device, const std::vector<uint64_t>& seeds) = 0;
  virtual bool device_path() const = 0;
  // One update of every member using device ops only: no host synchronisation and no host-side state
  // change, so it can be captured in a CUDA graph and replayed. Batch tensors are [P, B, ...] on the
  // device. Its metrics go to a device buffer; device_metrics() reads them back (a synchronisation).
  virtual void device_update(const Batch& batch) = 0;
  // Advances the host's counters (update count, optimiser steps) after device_update ran or a graph
  // replayed it.
  virtual void finish_device_step() = 0;
  virtual std::vector<Metrics> device_metrics() = 0;
  void load(torch::serialize::InputArchive& ar) { load_member(ar, 0); }
};

}  // namespace iql::algo
