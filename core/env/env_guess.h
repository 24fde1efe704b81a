// Which registered environment a dataset belongs to, so a loaded file selects its environment (and
// the physics check and action bounds have one to test against): the name in its metadata ("env",
// "env_name", "env_id"), then its file name (hopper-medium-v2.hdf5 -> hopper), then the only
// environment whose observation and action sizes match. Empty when none or several fit.
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace iql {

std::string guess_env(const Dataset& d);

}  // namespace iql
