#include "core/config/train_config.h"

#include <nlohmann/json.hpp>

#include "core/config/train_settings.h"
#include "core/util/errors.h"

namespace iql {

using nlohmann::json;

// Every field through the settings table (core/config/train_settings.h): the key names the field.
std::string TrainConfig::to_json() const {
  json j;
  for (const auto& s : train_settings()) std::visit([&](auto f) { j[s.key] = this->*f; }, s.field);
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
  if (!j.is_object() && !j.is_null()) throw ConfigError("config is not a JSON object: " + text);
  for (auto it = j.begin(); it != j.end(); ++it) {
    const TrainSetting* s = nullptr;
    for (const auto& candidate : train_settings())
      if (candidate.key == it.key()) s = &candidate;
    if (!s) throw ConfigError("unknown config field '" + it.key() + "'");
    try {
      std::visit([&](auto f) { it.value().get_to(c.*f); }, s->field);
    } catch (const std::exception&) {
      throw ConfigError("config field '" + it.key() + "' has the wrong type: " + it.value().dump());
    }
  }
  return c;
}

void TrainConfig::validate() const {
  auto fail = [](const std::string& f, const std::string& want) { throw ConfigError(f + ": expected " + want); };
  // Text settings with a fixed set of values (algorithm, policy, reward_mode): the table lists them.
  for (const auto& s : train_settings()) {
    if (s.choices.empty()) continue;
    const std::string v = setting_text(s, *this);
    std::string all;
    bool ok = false;
    for (const auto& choice : s.choices) ok = ok || v == choice, all += (all.empty() ? "" : ", ") + choice;
    if (!ok) fail(s.key, "one of " + all + ", got '" + v + "'");
  }
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
  if (!(dropout >= 0.0 && dropout < 1.0)) fail("dropout", "a value in [0, 1)");
  if (eval_interval < 0) fail("eval_interval", "0 (off) or a positive integer");
  if (eval_episodes < 1) fail("eval_episodes", "a positive integer");
  if (log_interval < 1) fail("log_interval", "a positive integer");
  if (probe_interval < 0) fail("probe_interval", "0 (off) or a positive integer");
  if (threads < 0 || threads > 256) fail("threads", "0 (auto: the cores this process may use, at most 8) or an integer in [1, 256]");
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
  for (const auto& s : train_settings())
    if (s.live && s.key == name) return &(this->*std::get<double TrainConfig::*>(s.field));
  return nullptr;
}

const std::vector<std::string>& live_hyperparameters() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : train_settings())
      if (s.live) n.push_back(s.key);
    return n;
  }();
  return names;
}

}  // namespace iql
