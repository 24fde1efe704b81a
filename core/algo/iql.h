// Implicit Q-Learning (Kostrikov, Nair, Levine 2022), official update order:
//   V <- expectile regression to min(target Q1, Q2);  actor <- AWR with adv = Qt - V_new;
//   Q <- TD to r + gamma (1 - terminal) V_new(s');    targets <- Polyak.
// The "iql-corl" variant uses the pre-update V for both advantage and TD target and averages the
// twin Q losses. Twin critics are one ensemble module with batched weights.
#pragma once
#include "core/algo/agent.h"
#include "core/nn/adam.h"
#include "core/nn/mlp.h"
#include "core/nn/policy.h"
#include "core/train/train_config.h"

namespace iql::algo {

class Iql : public Agent {
public:
  Iql(int64_t obs_dim, int64_t act_dim, const TrainConfig& cfg);
  std::string name() const override { return corl_ ? "iql-corl" : "iql"; }
  Metrics update(const Batch& b, bool want_metrics) override;
  torch::Tensor act(const torch::Tensor& obs, bool deterministic) override;
  ProbeValues probe(const Batch& b) override;
  bool set_hyperparameter(const std::string& name, double value) override;
  void set_actor_schedule_frozen(bool frozen) override { schedule_frozen_ = frozen; }
  int64_t updates() const override { return step_; }
  void save(torch::serialize::OutputArchive& ar) override;
  void load(torch::serialize::InputArchive& ar) override;

  double current_actor_lr() const;
  // Networks, exposed for tests and benchmarks.
  nn::Mlp& value() { return value_; }
  nn::Mlp& critic() { return critic_; }
  nn::Mlp& target_critic() { return target_critic_; }
  nn::Policy& policy() { return policy_; }

private:
  TrainConfig cfg_;
  bool corl_;
  bool schedule_frozen_ = false;
  int64_t step_ = 0;
  nn::Mlp value_, critic_, target_critic_;
  nn::Policy policy_;
  nn::FlatAdam value_adam_, critic_adam_;
};

}  // namespace iql::algo
