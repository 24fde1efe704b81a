// Implicit Q-Learning (Kostrikov, Nair, Levine 2022), official update order:
//   V <- expectile regression to min(target Q1, Q2);  actor <- AWR with adv = Qt - V_new;
//   Q <- TD to r + gamma (1 - terminal) V_new(s');    targets <- Polyak.
// The "iql-corl" variant uses the pre-update V for both advantage and TD target and averages the
// twin Q losses. Twin critics are one ensemble module with batched weights; a population of P members
// is the same modules with P (value, policy) or 2P (critics) ensemble members and per-member
// hyperparameters as [P, 1] tensors, so P configurations train as one batched model.
#pragma once
#include <vector>

#include "core/algo/agent.h"
#include "core/nn/adam.h"
#include "core/nn/mlp.h"
#include "core/nn/policy.h"
#include "core/algo/agent_hyperparameters.h"

namespace iql::algo {

class Iql : public Agent {
public:
  // One member, initialised from torch's default generator (tests, benchmarks, checkpoint loading).
  Iql(int64_t obs_dim, int64_t act_dim, const AgentHyperparameters& hp);
  // A population: member k has hyperparameters members[k] and draws initialisation, dropout and
  // sampling noise from (*gens)[k] (owned by the caller, outliving the agent). Members share corl,
  // hidden and the policy type.
  Iql(int64_t obs_dim, int64_t act_dim, const std::vector<AgentHyperparameters>& members,
      const std::vector<at::Generator>* gens);
  std::string name() const override { return corl_ ? "iql-corl" : "iql"; }
  int64_t members() const override { return static_cast<int64_t>(cfgs_.size()); }
  std::vector<Metrics> update_members(const Batch& b, bool want_metrics) override;
  torch::Tensor act(const torch::Tensor& obs, bool deterministic) override;
  ProbeValues probe(const Batch& b) override;
  bool set_hyperparameter(const std::string& name, double value, int64_t member = -1) override;
  void set_actor_schedule_frozen(bool frozen) override;
  int64_t updates() const override { return step_; }
  void save_member(torch::serialize::OutputArchive& ar, int64_t member) override;
  void load_member(torch::serialize::InputArchive& ar, int64_t member) override;
  void to_device(const torch::Device& device, const std::vector<uint64_t>& seeds) override;
  bool device_path() const override { return device_path_; }
  void device_update(const Batch& batch) override;
  void finish_device_step() override;
  std::vector<Metrics> device_metrics() override;

  double current_actor_lr(int64_t member = 0) const;
  // Networks, exposed for tests and benchmarks.
  nn::Mlp& value() { return value_; }
  nn::Mlp& critic() { return critic_; }
  nn::Mlp& target_critic() { return target_critic_; }
  nn::Policy& policy() { return policy_; }

private:
  void refresh_hyperparameters();
  // The update itself, shared by both paths: returns the [13, P] statistics when asked. Host path:
  // optimisers step with actor_lrs; device path: with the device learning-rate tensors.
  torch::Tensor update_core(const Batch& b, bool want_stats, const std::vector<double>& actor_lrs);
  std::vector<Metrics> metrics_from(const torch::Tensor& stats, int64_t step) const;
  double actor_lr_at(int64_t member, int64_t step) const;
  std::vector<AgentHyperparameters> cfgs_;
  bool corl_;
  bool schedule_frozen_ = false;
  int64_t step_ = 0;
  nn::Mlp value_, critic_, target_critic_;
  nn::Policy policy_;
  nn::FlatAdam value_adam_, critic_adam_;
  std::vector<nn::Segment> value_segs_, critic_segs_;
  // Per-member hyperparameters as [P, 1] columns (broadcast against [P, B]) and plain vectors.
  torch::Tensor tau_, beta_, gamma_, max_weight_;
  std::vector<double> value_lrs_, critic_lrs_, polyak_;
  // Device path: [P] float64 learning rates, Polyak rates and actor schedule (base, length, on/off),
  // the update count as a device scalar, and the last update's statistics. Overwritten in place.
  bool device_path_ = false;
  torch::Tensor value_lr_d_, critic_lr_d_, polyak_d_, actor_lr_d_, cosine_steps_d_, cosine_on_d_, step_d_, stats_d_;
};

}  // namespace iql::algo
