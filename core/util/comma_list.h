// "a,b,,c" -> {"a", "b", "c"}: the comma-separated lists of the CLI (--tau 0.6,0.8, --datasets,
// --tags) and of the settings table's per-member values. Empty items are dropped; nothing is trimmed.
#pragma once
#include <string>
#include <vector>

namespace iql {

std::vector<std::string> split_comma_list(const std::string& text);

}  // namespace iql
