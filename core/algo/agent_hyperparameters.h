// What an algorithm needs to know of a run's settings: its hyperparameters and network shape, one
// struct per population member. The trainer fills it from the run's TrainConfig
// (core/train/agent_settings.h), so algo/ does not depend on the whole run configuration.
// The defaults are the official IQL ones for MuJoCo locomotion, as TrainConfig's. Torch-free.
#pragma once
#include <cstdint>
#include <string>

namespace iql::algo {

struct AgentHyperparameters {
  bool corl = false;              // IQL: the CORL variant (pre-update V, averaged twin Q losses)
  double expectile = 0.7;         // tau
  double temperature = 3.0;       // beta
  double discount = 0.99;
  double polyak = 0.005;
  double actor_lr = 3e-4;
  double value_lr = 3e-4;
  double critic_lr = 3e-4;
  bool actor_cosine_decay = true;  // to 0 over cosine_steps
  int64_t cosine_steps = 1000000;
  double max_weight = 100.0;       // AWR clip
  int hidden = 256;
  bool gaussian_policy = true;     // false: deterministic
  double dropout = 0.0;            // actor only

  // The live hyperparameters (those an agent may change between steps) by their setting key
  // ("expectile", "actor_lr": core/config/train_settings.h); nullptr for any other name.
  double* live(const std::string& name);
};

inline double* AgentHyperparameters::live(const std::string& name) {
  if (name == "expectile") return &expectile;
  if (name == "temperature") return &temperature;
  if (name == "discount") return &discount;
  if (name == "polyak") return &polyak;
  if (name == "actor_lr") return &actor_lr;
  if (name == "value_lr") return &value_lr;
  if (name == "critic_lr") return &critic_lr;
  return nullptr;
}

}  // namespace iql::algo
