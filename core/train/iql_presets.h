// Named hyperparameter presets from the IQL paper's official configurations, shared by the CLI
// (`iql train --preset NAME`) and the GUI. "antmaze": expectile 0.9, temperature 10, rewards
// r - 1, no dropout, cosine actor lr, 100 evaluation episodes; "antmaze-finetune": the same with a
// constant actor lr (the official fine-tuning recipe), 1M online steps and a 2M replay buffer.
// Torch-free.
#pragma once
#include <string>
#include <vector>

#include "core/config/train_config.h"

namespace iql {

struct IqlPreset {
  std::string name;
  double expectile, temperature;
  std::string reward_mode;
  double dropout;
  int eval_episodes;         // 0: leave as is
  bool actor_cosine_decay;
  long long online_steps;    // -1: leave as is
  long long online_buffer;   // -1: leave as is
};

const std::vector<IqlPreset>& iql_presets();
// Throws ConfigError listing the known names.
const IqlPreset& iql_preset(const std::string& name);
void apply_preset(const IqlPreset& p, TrainConfig& c);

}  // namespace iql
