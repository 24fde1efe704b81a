#include "core/config/train_settings.h"
#include "core/util/comma_list.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/util/errors.h"

namespace iql {

namespace {

// Builds one table entry; the flag defaults to the key with dashes ("actor_lr" -> "actor-lr").
struct Def {
  TrainSetting s;
  Def(const char* key, SettingField field, const char* value_name, const char* help) {
    s.key = key;
    s.flag = key;
    for (char& ch : s.flag)
      if (ch == '_') ch = '-';
    s.field = field;
    s.value_name = value_name;
    s.help = help;
  }
  Def& flag(const char* f) { return s.flag = f, *this; }
  Def& alias(const char* a) { return s.aliases.push_back(a), *this; }
  Def& live() { return s.live = true, *this; }
  Def& per_member() { return s.per_member = true, *this; }
  Def& ungrouped() { return s.grouped = false, *this; }
  Def& sets(bool v) { return s.switch_value = v, *this; }
  Def& choices(std::vector<std::string> c) { return s.choices = std::move(c), *this; }
  Def& cli_default(const char* d) { return s.cli_default = d, *this; }
  operator TrainSetting() const { return s; }
};

using C = TrainConfig;

std::vector<TrainSetting> make_table() {
  return {
      Def("algorithm", &C::algorithm, "NAME", "iql (official), iql-corl (CORL variant), bc (behaviour cloning)")
          .choices({"iql", "iql-corl", "bc"}),
      Def("dataset", &C::dataset, "NAME|FILE", "built-in dataset (iql datasets list) or HDF5 file"),
      Def("env", &C::env, "NAME", "evaluation environment"),
      Def("physics", &C::physics, "VARIANT",
          "auto (replay 300 transitions under each MuJoCo physics variant, pick the one that reproduces the "
          "data, print and store the evidence), d4rl or gymnasium-v4")
          .cli_default("auto"),
      Def("expectile", &C::expectile, "TAU", "expectile tau of the value loss").alias("tau").live().per_member(),
      Def("temperature", &C::temperature, "BETA", "inverse temperature beta of AWR").alias("beta").live().per_member(),
      Def("discount", &C::discount, "GAMMA", "discount factor").live().per_member(),
      Def("polyak", &C::polyak, "RATE", "target critic update rate").live().per_member(),
      Def("actor_lr", &C::actor_lr, "LR", "actor learning rate (cosine-decayed in offline-only runs)").live().per_member(),
      Def("value_lr", &C::value_lr, "LR", "value learning rate").live().per_member(),
      Def("critic_lr", &C::critic_lr, "LR", "critic learning rate").live().per_member(),
      Def("actor_cosine_decay", &C::actor_cosine_decay, "", "keep the actor learning rate constant")
          .flag("no-cosine").sets(false).per_member(),
      Def("actor_cosine_with_online", &C::actor_cosine_with_online, "",
          "with --online-steps: cosine-decay the actor lr offline anyway (official: constant)")
          .flag("cosine-with-online"),
      Def("max_weight", &C::max_weight, "W", "clip of the AWR weights exp(beta A)").per_member(),
      Def("hidden", &C::hidden, "N", "hidden units of every MLP (2 hidden layers)"),
      Def("batch_size", &C::batch_size, "N", "batch size").flag("batch"),
      Def("steps", &C::steps, "N", "gradient steps"),
      Def("policy", &C::policy, "TYPE", "gaussian or deterministic").choices({"gaussian", "deterministic"}),
      Def("dropout", &C::dropout, "P", "actor dropout").per_member(),
      Def("reward_mode", &C::reward_mode, "MODE", "auto, locomotion (x1000/return range), antmaze (r-1), none")
          .choices({"auto", "locomotion", "antmaze", "none"}),
      Def("normalize_obs", &C::normalize_obs, "", "normalise observations by dataset mean/std"),
      Def("seed", &C::seed, "S", "seed for torch, batch sampler and environments").per_member().ungrouped(),
      Def("eval_interval", &C::eval_interval, "N", "evaluate every N steps (0: only at the end)"),
      Def("eval_episodes", &C::eval_episodes, "N", "episodes per evaluation"),
      Def("log_interval", &C::log_interval, "N", "store metrics every N steps"),
      Def("probe_interval", &C::probe_interval, "N", "value/advantage histograms every N steps (0: off)"),
      Def("checkpoint_interval", &C::checkpoint_interval, "N", "checkpoint every N steps (0: only at the end)"),
      Def("threads", &C::threads, "N", "torch intra-op threads (0: auto, the cores this process may use, at most 8, fixed for the run and recorded so a resume keeps it)")
          .ungrouped(),
      Def("device", &C::device, "DEV", "cpu, cuda or auto (cuda when a GPU and a CUDA LibTorch are present)")
          .choices({"cpu", "cuda", "auto"}).cli_default("auto").ungrouped(),
      Def("cuda_graphs", &C::cuda_graphs, "on|off", "on CUDA, capture the update as one CUDA graph and replay it")
          .choices({"on", "off"}).ungrouped(),
      Def("matmul_precision", &C::matmul_precision, "P", "fp32, or tf32 (TensorFloat-32 products on CUDA)")
          .choices({"fp32", "tf32"}).ungrouped(),
      Def("online_steps", &C::online_steps, "N", "after the offline steps, fine-tune online for N environment steps"),
      Def("online_buffer", &C::online_buffer, "N", "online replay capacity (pre-filled with the dataset)"),
      Def("online_updates_per_step", &C::online_updates_per_step, "N", "gradient steps per environment step online"),
  };
}

// Whole-text parses: "12abc" is not 12.
template <typename T, typename F>
bool parse_all(const std::string& text, F parse, T& out) {
  try {
    size_t used = 0;
    out = parse(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

bool TrainSetting::is_numeric() const {
  return !std::holds_alternative<std::string TrainConfig::*>(field) && !std::holds_alternative<bool TrainConfig::*>(field);
}

const std::vector<TrainSetting>& train_settings() {
  static const std::vector<TrainSetting> table = make_table();
  return table;
}

const TrainSetting* find_setting(const std::string& name) {
  for (const auto& s : train_settings()) {
    if (s.key == name) return &s;
    for (const auto& a : s.aliases)
      if (a == name) return &s;
  }
  return nullptr;
}

const TrainSetting* find_setting_by_flag(const std::string& flag) {
  for (const auto& s : train_settings()) {
    if (s.flag == flag) return &s;
    for (const auto& a : s.aliases)
      if (a == flag) return &s;
  }
  return nullptr;
}

std::string short_name(const std::string& key) {
  const TrainSetting* s = find_setting(key);
  return s && !s->aliases.empty() ? s->aliases.front() : key;
}

void set_setting_text(const TrainSetting& s, TrainConfig& c, const std::string& text) {
  auto bad = [&](const char* want) { throw ConfigError(std::string("expects ") + want + ", got '" + text + "'"); };
  std::visit(
      [&](auto f) {
        using T = std::decay_t<decltype(c.*f)>;
        if constexpr (std::is_same_v<T, std::string>) {
          c.*f = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "true" || text == "1") c.*f = true;
          else if (text == "false" || text == "0") c.*f = false;
          else bad("true or false");
        } else if constexpr (std::is_same_v<T, double>) {
          double v = 0;
          if (!parse_all(text, [](const std::string& t, size_t* u) { return std::stod(t, u); }, v)) bad("a number");
          c.*f = v;
        } else if constexpr (std::is_same_v<T, uint64_t>) {
          unsigned long long v = 0;
          if (text.empty() || text[0] == '-' ||
              !parse_all(text, [](const std::string& t, size_t* u) { return std::stoull(t, u); }, v))
            bad("an integer >= 0");
          c.*f = static_cast<uint64_t>(v);
        } else {
          long long v = 0;
          if (!parse_all(text, [](const std::string& t, size_t* u) { return std::stoll(t, u); }, v) ||
              v < static_cast<long long>(std::numeric_limits<T>::min()) ||
              v > static_cast<long long>(std::numeric_limits<T>::max()))
            bad("an integer");
          c.*f = static_cast<T>(v);
        }
      },
      s.field);
}

std::string setting_text(const TrainSetting& s, const TrainConfig& c) {
  return std::visit(
      [&](auto f) -> std::string {
        using T = std::decay_t<decltype(c.*f)>;
        if constexpr (std::is_same_v<T, std::string>) return c.*f;
        else if constexpr (std::is_same_v<T, bool>) return c.*f ? "true" : "false";
        else {
          std::ostringstream os;
          os << c.*f;
          return os.str();
        }
      },
      s.field);
}

std::string setting_json(const TrainSetting& s, const TrainConfig& c) {
  return std::visit([&](auto f) { return nlohmann::json(c.*f).dump(); }, s.field);
}

double setting_number(const TrainSetting& s, const TrainConfig& c) {
  return std::visit(
      [&](auto f) -> double {
        using T = std::decay_t<decltype(c.*f)>;
        if constexpr (std::is_same_v<T, std::string>) throw ConfigError("'" + s.key + "' is not a number");
        else return static_cast<double>(c.*f);
      },
      s.field);
}

void set_setting_number(const TrainSetting& s, TrainConfig& c, double v) {
  std::visit(
      [&](auto f) {
        using T = std::decay_t<decltype(c.*f)>;
        if constexpr (std::is_same_v<T, double>) {
          c.*f = v;
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool>) {
          throw ConfigError("'" + s.key + "' is not a number");
        } else {
          // [min, 2^digits): exact bounds in double, whatever the width of T
          const bool fits = std::isfinite(v) && v == std::floor(v) && v >= static_cast<double>(std::numeric_limits<T>::min()) &&
                            v < std::ldexp(1.0, std::numeric_limits<T>::digits);
          if (!fits)
            throw ConfigError(s.key + " must be a whole number" + (std::is_unsigned_v<T> ? " >= 0" : ""));
          c.*f = static_cast<T>(v);
        }
      },
      s.field);
}

TrainConfig apply_setting_flags(TrainConfig c, const std::map<std::string, std::string>& flags, ValueLists* lists) {
  for (const auto& s : train_settings()) {
    // The flag or an alias; an alias given too wins (as --tau over --expectile always has).
    std::vector<std::string> names = {s.flag};
    names.insert(names.end(), s.aliases.begin(), s.aliases.end());
    const std::string* given = nullptr;
    std::string name;
    for (const auto& n : names)
      if (auto it = flags.find(n); it != flags.end()) given = &it->second, name = n;
    if (!given) continue;
    if (s.is_switch()) {
      c.*std::get<bool TrainConfig::*>(s.field) = s.switch_value;  // switches are bool fields
      continue;
    }
    try {
      if (!(s.per_member && s.is_numeric())) {
        set_setting_text(s, c, *given);
        continue;
      }
      const auto items = split_comma_list(*given);
      if (items.empty()) throw ConfigError("expects a value");
      std::vector<double> values;
      for (const auto& item : items) {
        TrainConfig scratch;
        set_setting_text(s, scratch, item);
        values.push_back(setting_number(s, scratch));
      }
      set_setting_text(s, c, items.front());
      if (lists) lists->emplace_back(s.key, values);
    } catch (const ConfigError& e) {
      throw ConfigError("--" + name + " " + e.what());
    }
  }
  return c;
}

TrainConfig cli_default_config() {
  TrainConfig c;
  for (const auto& s : train_settings())
    if (!s.cli_default.empty()) set_setting_text(s, c, s.cli_default);
  return c;
}

std::string shared_settings_key(const TrainConfig& c) {
  std::string key;
  for (const auto& s : train_settings())
    if (!s.per_member) key += s.key + "=" + setting_json(s, c) + ";";
  return key;
}

std::vector<std::string> ungrouped_setting_keys() {
  std::vector<std::string> keys;
  for (const auto& s : train_settings())
    if (!s.grouped) keys.push_back(s.key);
  return keys;
}

std::string member_label(const std::vector<TrainConfig>& members, size_t k) {
  std::string out;
  for (const auto& s : train_settings()) {
    bool differs = false;
    for (const auto& m : members) differs = differs || setting_json(s, m) != setting_json(s, members.at(0));
    if (differs) out += (out.empty() ? "" : " ") + short_name(s.key) + " " + setting_text(s, members.at(k));
  }
  return out.empty() ? "(identical)" : out;
}

}  // namespace iql
