#include "core/train/agent_settings.h"

namespace iql {

algo::AgentHyperparameters agent_hyperparameters(const TrainConfig& c) {
  algo::AgentHyperparameters h;
  h.corl = c.algorithm == "iql-corl";
  h.expectile = c.expectile;
  h.temperature = c.temperature;
  h.discount = c.discount;
  h.polyak = c.polyak;
  h.actor_lr = c.actor_lr;
  h.value_lr = c.value_lr;
  h.critic_lr = c.critic_lr;
  h.actor_cosine_decay = c.actor_cosine_decay;
  h.cosine_steps = c.steps;  // the schedule spans the offline steps
  h.max_weight = c.max_weight;
  h.hidden = c.hidden;
  h.gaussian_policy = c.policy == "gaussian";
  h.dropout = c.dropout;
  return h;
}

std::vector<algo::AgentHyperparameters> agent_hyperparameters(const std::vector<TrainConfig>& members) {
  std::vector<algo::AgentHyperparameters> out;
  for (const auto& c : members) out.push_back(agent_hyperparameters(c));
  return out;
}

}  // namespace iql
