// Plain behaviour cloning: maximise log pi(a|s) on the dataset (the beta -> 0 limit of IQL's actor),
// with the same policy network and learning-rate schedule, as a baseline. A population of P members is
// one policy with a member axis (see Iql).
#pragma once
#include <vector>

#include "core/algo/agent.h"
#include "core/nn/policy.h"
#include "core/algo/agent_hyperparameters.h"

namespace iql::algo {

class BehaviourCloning : public Agent {
public:
  BehaviourCloning(int64_t obs_dim, int64_t act_dim, const AgentHyperparameters& hp);
  BehaviourCloning(int64_t obs_dim, int64_t act_dim, const std::vector<AgentHyperparameters>& members,
                   const std::vector<at::Generator>* gens);
  std::string name() const override { return "bc"; }
  int64_t members() const override { return static_cast<int64_t>(cfgs_.size()); }
  std::vector<Metrics> update_members(const Batch& b, bool want_metrics) override;
  torch::Tensor act(const torch::Tensor& obs, bool deterministic) override;
  ProbeValues probe(const Batch&) override { return {}; }
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
  nn::Policy& policy() { return policy_; }  // for tests (tests/algo/test_iql_update_reference.cpp)

private:
  double lr(int64_t member) const;
  std::vector<AgentHyperparameters> cfgs_;
  bool schedule_frozen_ = false;
  int64_t step_ = 0;
  nn::Policy policy_;
  // Device path (see Iql): the actor schedule as [P] float64 tensors, the update count, [2, P] stats.
  void refresh_device_schedule();
  bool device_path_ = false;
  torch::Tensor lr_d_, cosine_steps_d_, cosine_on_d_, step_d_, stats_d_;
};

}  // namespace iql::algo
