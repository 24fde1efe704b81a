// The one table of training settings: every TrainConfig field once, with its stored JSON key, its
// command-line flag and aliases (tau, beta), whether it may change during a run (live) and whether
// population members may differ in it (per_member). The CLI flags, the stored config JSON, live
// control, the population and sweep packing rules and the seed-free grouping key all read this
// table, so a field added here is known to all of them. Torch-free (built into core_base).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/config/train_config.h"

namespace iql {

using SettingField = std::variant<std::string TrainConfig::*, double TrainConfig::*, int TrainConfig::*,
                                  int64_t TrainConfig::*, uint64_t TrainConfig::*, bool TrainConfig::*>;

struct TrainSetting {
  std::string key;                   // field name and stored JSON key: "expectile"
  std::string flag;                  // command-line flag without dashes: "expectile", "batch", "no-cosine"
  std::vector<std::string> aliases;  // other names wherever a setting is named (flags, control lines,
                                     // population lists); the first is its short label ("tau")
  std::string value_name;            // in --help ("TAU"); empty: a switch, the flag alone sets switch_value
  std::string help;
  SettingField field;
  bool live = false;        // may change during a run (applied at a step boundary, stored as an event)
  bool per_member = false;  // population members may differ in it; the others shape the shared model/data
  bool grouped = true;      // false (seed, threads): runs that differ only here are seeds of one configuration
  bool switch_value = true;
  std::vector<std::string> choices;  // the values a text setting allows; empty: any
  std::string cli_default;           // `iql train`'s default where it is not TrainConfig's (physics: auto)

  bool is_switch() const { return value_name.empty(); }
  bool is_numeric() const;  // a real or integer field (what population lists and live changes carry)
};

// A population grid's value lists: setting key -> values, the first list varying slowest.
using ValueLists = std::vector<std::pair<std::string, std::vector<double>>>;

const std::vector<TrainSetting>& train_settings();
// By key or alias ("expectile", "tau"); nullptr if none.
const TrainSetting* find_setting(const std::string& name);
// By command-line flag or alias ("batch", "no-cosine", "tau"); nullptr if none.
const TrainSetting* find_setting_by_flag(const std::string& flag);
// "tau" for expectile, "beta" for temperature, the key otherwise: labels of sweep points and members.
std::string short_name(const std::string& key);

// Sets the field from text as a flag or control line gives it ("0.9", "hopper", "true"); ConfigError
// "expects an integer, got 'ten'" (the caller names the flag or line).
void set_setting_text(const TrainSetting& s, TrainConfig& c, const std::string& text);
// The field's value as text ("0.7", "hopper", "true") and as a JSON literal ("0.7", "\"hopper\"", "true").
std::string setting_text(const TrainSetting& s, const TrainConfig& c);
std::string setting_json(const TrainSetting& s, const TrainConfig& c);
// Numeric fields as double (population lists, live changes). set_setting_number throws ConfigError for a
// non-numeric setting or a value an integer field cannot hold exactly ("seed must be a whole number >= 0").
double setting_number(const TrainSetting& s, const TrainConfig& c);
void set_setting_number(const TrainSetting& s, TrainConfig& c, double value);

// The settings of command-line flags (name without dashes -> text; a switch's text is ignored) applied
// over `base`; flags that are no setting are left to the command. A per-member setting takes a comma
// list: its first value goes into the config and, when `lists` is given, the whole list into it (in
// table order: the population grid's order). ConfigError "--NAME expects ..." for a malformed value.
TrainConfig apply_setting_flags(TrainConfig base, const std::map<std::string, std::string>& flags,
                                ValueLists* lists = nullptr);
// TrainConfig's defaults with the command line's own defaults (cli_default) applied.
TrainConfig cli_default_config();

// The values of every setting members must share, as one string: configurations with equal keys can
// train as one population (sweep packing); population_mismatch() says which field differs.
std::string shared_settings_key(const TrainConfig& c);
// A stored config JSON object's keys that do not tell experiments apart (seed, threads).
std::vector<std::string> ungrouped_setting_keys();
// "tau 0.7 beta 3 seed 1": member k's values of the settings that differ across `members` (short
// names, table order); "(identical)" when none does.
std::string member_label(const std::vector<TrainConfig>& members, size_t k);

}  // namespace iql
