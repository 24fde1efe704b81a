#include "core/train/train_config.h"

#include <nlohmann/json.hpp>

#include "core/util/errors.h"

namespace iql {

using nlohmann::json;

#define IQL_CONFIG_FIELDS(X)                                                                       \
  X(algorithm) X(dataset) X(env) X(physics) X(expectile) X(temperature) X(discount) X(polyak)      \
  X(actor_lr) X(value_lr) X(critic_lr) X(actor_cosine_decay) X(actor_cosine_with_online)          \
  X(max_weight) X(hidden) X(batch_size) X(steps) X(policy) X(dropout) X(reward_mode)              \
  X(normalize_obs) X(seed) X(eval_interval) X(eval_episodes) X(log_interval) X(probe_interval)     \
  X(checkpoint_interval) X(threads) X(online_steps) X(online_buffer) X(online_updates_per_step)

std::string TrainConfig::to_json() const {
  json j;
#define X(f) j[#f] = f;
  IQL_CONFIG_FIELDS(X)
#undef X
  return j.dump();
}

TrainConfig TrainConfig::from_json(const std::string& text) {
  TrainConfig c;
  json j;
  try {
    j = json::parse(text);
  } catch (const std::exception& e) {
    throw ConfigError(std::string("config is not valid JSON: ") + e.what());
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    try {
#define X(f) \
  if (it.key() == #f) { it.value().get_to(c.f); known = true; }
      IQL_CONFIG_FIELDS(X)
#undef X
    } catch (const std::exception&) {
      throw ConfigError("config field '" + it.key() + "' has the wrong type: " + it.value().dump());
    }
    if (!known) throw ConfigError("unknown config field '" + it.key() + "'");
  }
  return c;
}

void TrainConfig::validate() const {
  auto fail = [](const std::string& f, const std::string& want) { throw ConfigError(f + ": expected " + want); };
  if (algorithm != "iql" && algorithm != "iql-corl" && algorithm != "bc") fail("algorithm", "one of iql, iql-corl, bc");
  if (!(expectile > 0.0 && expectile < 1.0)) fail("expectile", "a value in (0, 1)");
  if (!(temperature >= 0.0 && temperature <= 1000.0)) fail("temperature", "a value in [0, 1000]");
  if (!(discount > 0.0 && discount <= 1.0)) fail("discount", "a value in (0, 1]");
  if (!(polyak > 0.0 && polyak <= 1.0)) fail("polyak", "a value in (0, 1]");
  for (double lr : {actor_lr, value_lr, critic_lr})
    if (!(lr > 0.0 && lr < 1.0)) fail("learning rate", "a value in (0, 1)");
  if (!(max_weight > 0.0)) fail("max_weight", "a positive value");
  if (hidden < 1 || hidden > 4096) fail("hidden", "an integer in [1, 4096]");
  if (batch_size < 1 || batch_size > 65536) fail("batch_size", "an integer in [1, 65536]");
  if (steps < 1) fail("steps", "a positive integer");
  if (policy != "gaussian" && policy != "deterministic") fail("policy", "gaussian or deterministic");
  if (!(dropout >= 0.0 && dropout < 1.0)) fail("dropout", "a value in [0, 1)");
  if (reward_mode != "auto" && reward_mode != "locomotion" && reward_mode != "antmaze" && reward_mode != "none")
    fail("reward_mode", "one of auto, locomotion, antmaze, none");
  if (eval_interval < 0) fail("eval_interval", "0 (off) or a positive integer");
  if (eval_episodes < 1) fail("eval_episodes", "a positive integer");
  if (log_interval < 1) fail("log_interval", "a positive integer");
  if (probe_interval < 0) fail("probe_interval", "0 (off) or a positive integer");
  if (threads < 0 || threads > 256) fail("threads", "0 (auto: a fair share of the cores) or an integer in [1, 256]");
  if (online_steps < 0) fail("online_steps", "0 (offline only) or a positive integer");
  if (online_buffer < 1) fail("online_buffer", "a positive integer");
  if (online_updates_per_step < 1 || online_updates_per_step > 1000)
    fail("online_updates_per_step", "an integer in [1, 1000]");
}

std::string TrainConfig::effective_reward_mode() const {
  if (reward_mode != "auto") return reward_mode;
  if (env.rfind("antmaze", 0) == 0) return "antmaze";
  // As the official train_offline.py: the return-range scaling for hopper, halfcheetah and walker2d
  // only. Ant keeps raw rewards there (and in CORL's modify_reward); on Pendulum's short, dense-reward
  // episodes the scaling inflates advantages (AWR weights collapse to a few samples), so raw rewards.
  if (env == "hopper" || env == "halfcheetah" || env == "walker2d") return "locomotion";
  return "none";
}

TrainConfig TrainConfig::resolved() const {
  TrainConfig c = *this;
  // train_finetune.py builds its learner without max_steps, so no schedule in either phase.
  if (c.online_steps > 0 && !c.actor_cosine_with_online) c.actor_cosine_decay = false;
  return c;
}

double* TrainConfig::live_field(const std::string& name) {
  return const_cast<double*>(static_cast<const TrainConfig*>(this)->live_field(name));
}

const double* TrainConfig::live_field(const std::string& name) const {
  if (name == "expectile") return &expectile;
  if (name == "temperature") return &temperature;
  if (name == "actor_lr") return &actor_lr;
  if (name == "value_lr") return &value_lr;
  if (name == "critic_lr") return &critic_lr;
  if (name == "discount") return &discount;
  if (name == "polyak") return &polyak;
  return nullptr;
}

const std::vector<std::string>& live_hyperparameters() {
  static const std::vector<std::string> names = {"expectile", "temperature", "actor_lr", "value_lr",
                                                 "critic_lr", "discount", "polyak"};
  return names;
}

}  // namespace iql
