#include "app/cli/setting_options.h"

#include "core/config/train_settings.h"

namespace iql::cli {

std::vector<OptionSpec> setting_options() {
  const TrainConfig d = cli_default_config();
  std::vector<OptionSpec> out;
  for (const auto& s : train_settings()) {
    std::string help = s.help;
    for (const auto& a : s.aliases) help += " (alias --" + a + ")";
    out.push_back({s.flag, s.value_name, help, s.is_switch() ? "" : setting_text(s, d)});
    for (const auto& a : s.aliases) out.push_back({a, s.value_name, "same as --" + s.flag, ""});
  }
  return out;
}

std::string population_list_flags() {
  std::string out;
  for (const auto& s : train_settings())
    if (s.per_member && s.is_numeric()) out += (out.empty() ? "--" : ", --") + (s.aliases.empty() ? s.flag : s.aliases[0]);
  return out;
}

}  // namespace iql::cli
