// The options of `iql train` that set a TrainConfig field, from the settings table
// (core/config/train_settings.h): each setting's flag with its help and default, and its aliases.
#pragma once
#include <string>
#include <vector>

#include "app/cli/cli_args.h"

namespace iql::cli {

std::vector<OptionSpec> setting_options();
// "--tau, --beta, --seed, ...": the flags that take a comma list of population values.
std::string population_list_flags();

}  // namespace iql::cli
