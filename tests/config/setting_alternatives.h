// For tests that walk the settings table: a value of each setting other than TrainConfig's default
// that validate() accepts, found from what the table says of the setting (its choices, its type), so a
// setting added to the table is tested without a hand-written list.
#pragma once
#include <string>

#include "core/config/train_settings.h"
#include "core/util/errors.h"

namespace iql::test {

// "" for a switch (its flag alone sets it).
inline std::string alternative(const TrainSetting& s) {
  const TrainConfig d;
  if (s.is_switch()) return "";
  for (const auto& choice : s.choices)
    if (choice != setting_text(s, d)) return choice;
  if (std::holds_alternative<bool TrainConfig::*>(s.field)) return setting_text(s, d) == "true" ? "false" : "true";
  if (!s.is_numeric()) return setting_text(s, d) + "-other";
  const double v = setting_number(s, d);
  for (double candidate : {v * 0.5, v * 2.0, v + 1.0, 0.5, 2.0}) {
    TrainConfig c = d;
    try {
      set_setting_number(s, c, candidate);
      c.validate();
    } catch (const ConfigError&) {
      continue;
    }
    if (setting_json(s, c) != setting_json(s, d)) return setting_text(s, c);
  }
  return "(none found)";
}

// The default config with the setting given on a command line as `flag` (its flag or an alias).
inline TrainConfig with_flag(const TrainSetting& s, const std::string& flag) {
  return apply_setting_flags(TrainConfig{}, {{flag, s.is_switch() ? "1" : alternative(s)}});
}
inline TrainConfig changed(const TrainSetting& s) { return with_flag(s, s.flag); }

}  // namespace iql::test
