// Where MJCF models and D4RL's AntMaze policy are read from. The first that applies wins:
//   1. $IQL_RESOURCE_DIR when set and non-empty (used as given, so a wrong value is reported by name);
//   2. <executable's folder>/../share/iql-workbench when it holds mjcf/ (the installed package:
//      /usr/bin/iql reads /usr/share/iql-workbench, wherever the prefix is);
//   3. the source tree's resources/ compiled in (IQL_RESOURCE_DIR), for programs run from a build tree.
#pragma once
#include <string>

namespace iql {

std::string resource_dir();

// The rule itself: env_value is $IQL_RESOURCE_DIR (nullptr when unset), exe_path the running
// executable ("" when unknown), compiled_in the build's fallback.
std::string resolve_resource_dir(const char* env_value, const std::string& exe_path, const std::string& compiled_in);

}  // namespace iql
