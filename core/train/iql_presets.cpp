#include "core/train/iql_presets.h"

#include "core/util/errors.h"

namespace iql {

const std::vector<IqlPreset>& iql_presets() {
  // shared/reference/iql.md and antmaze.md (official configs)
  static const std::vector<IqlPreset> p = {
      {"locomotion", 0.7, 3.0, "locomotion", 0.0, 0, true, -1, -1},
      {"antmaze", 0.9, 10.0, "antmaze", 0.0, 100, true, -1, -1},
      {"antmaze-finetune", 0.9, 10.0, "antmaze", 0.0, 100, false, 1000000, 2000000},
      {"kitchen", 0.7, 0.5, "none", 0.1, 0, true, -1, -1},
  };
  return p;
}

const IqlPreset& iql_preset(const std::string& name) {
  std::string known;
  for (const auto& p : iql_presets()) {
    if (p.name == name) return p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  throw ConfigError("unknown preset '" + name + "' (known: " + known + ")");
}

void apply_preset(const IqlPreset& p, TrainConfig& c) {
  c.expectile = p.expectile;
  c.temperature = p.temperature;
  c.reward_mode = p.reward_mode;
  c.dropout = p.dropout;
  if (p.eval_episodes > 0) c.eval_episodes = p.eval_episodes;
  c.actor_cosine_decay = p.actor_cosine_decay;
  if (p.online_steps >= 0) c.online_steps = p.online_steps;
  if (p.online_buffer >= 0) c.online_buffer = p.online_buffer;
}

}  // namespace iql
