// Plain behaviour cloning: maximise log pi(a|s) on the dataset (the beta -> 0 limit of IQL's actor),
// with the same policy network and learning-rate schedule, as a baseline.
#pragma once
#include "core/algo/agent.h"
#include "core/nn/policy.h"
#include "core/train/train_config.h"

namespace iql::algo {

class BehaviourCloning : public Agent {
public:
  BehaviourCloning(int64_t obs_dim, int64_t act_dim, const TrainConfig& cfg);
  std::string name() const override { return "bc"; }
  Metrics update(const Batch& b, bool want_metrics) override;
  torch::Tensor act(const torch::Tensor& obs, bool deterministic) override;
  ProbeValues probe(const Batch&) override { return {}; }
  bool set_hyperparameter(const std::string& name, double value) override;
  void set_actor_schedule_frozen(bool frozen) override { schedule_frozen_ = frozen; }
  int64_t updates() const override { return step_; }
  void save(torch::serialize::OutputArchive& ar) override;
  void load(torch::serialize::InputArchive& ar) override;
  nn::Policy& policy() { return policy_; }  // for tests (tests/algo/test_iql_update_reference.cpp)

private:
  TrainConfig cfg_;
  bool schedule_frozen_ = false;
  int64_t step_ = 0;
  nn::Policy policy_;
};

}  // namespace iql::algo
